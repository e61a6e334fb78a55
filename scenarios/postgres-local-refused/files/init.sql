-- Build-time data for appdb (the password is replaced at session start).
CREATE ROLE appuser LOGIN PASSWORD 'replaced-at-start';
CREATE DATABASE appdb OWNER appuser;
\connect appdb
CREATE TABLE orders (
    id         serial PRIMARY KEY,
    customer   text          NOT NULL,
    sku        text          NOT NULL,
    qty        integer       NOT NULL,
    total      numeric(10,2) NOT NULL,
    created_at timestamptz   NOT NULL
);
INSERT INTO orders (customer, sku, qty, total, created_at)
SELECT (ARRAY['Hartley Nurseries', 'M. Okafor', 'Greenway Landscaping', 'J. Lindqvist',
              'Oakfield Allotments', 'P. Navarro', 'Thornbury Estates'])[1 + i % 7],
       'SKU-' || lpad((i * 7919 % 10000)::text, 4, '0'),
       1 + i % 9,
       round((4.5 + (i * 37 % 500) + (i % 100) / 100.0)::numeric, 2),
       timestamptz '2024-01-02 08:00+00' + i * interval '37 minutes'
FROM generate_series(1, 1200) AS i;
ALTER TABLE orders OWNER TO appuser;
