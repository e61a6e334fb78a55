CREATE ROLE shopapp LOGIN;
CREATE ROLE dana LOGIN;
CREATE ROLE reporting LOGIN;
CREATE DATABASE shop;
\c shop
CREATE TABLE customers (
    id    serial PRIMARY KEY,
    name  text NOT NULL,
    email text
);
CREATE TABLE orders (
    id          bigserial PRIMARY KEY,
    customer_id int NOT NULL REFERENCES customers(id),
    amount      numeric(10,2) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE app_heartbeat (
    id   int PRIMARY KEY,
    beat timestamptz NOT NULL
);
INSERT INTO app_heartbeat VALUES (1, now());
INSERT INTO customers (name, email)
  SELECT 'customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, 500) g;
GRANT SELECT, INSERT ON orders TO shopapp;
GRANT USAGE ON SEQUENCE orders_id_seq TO shopapp;
GRANT SELECT, UPDATE ON app_heartbeat TO shopapp;
GRANT SELECT ON customers TO shopapp;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO dana, reporting;
