export { waitFor, type WaitForOptions } from './wait-for';
export { uniqueName } from './unique-name';
