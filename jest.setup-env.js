// Every test process sees the connection settings that the global setup wrote for the running
// infrastructure (PG/Redis/Kafka on loopback), so tests never hard-code a port or a password.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '.data', 'infra.env.json');
if (fs.existsSync(file)) {
  const env = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [key, value] of Object.entries(env)) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
}
