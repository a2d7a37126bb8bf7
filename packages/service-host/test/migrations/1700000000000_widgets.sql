-- Up Migration
CREATE TABLE widgets (id int PRIMARY KEY);

-- Down Migration
DROP TABLE widgets;
