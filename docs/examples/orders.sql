-- docs/examples/orders.sql: run with  bin/lsmlog-sql -f docs/examples/orders.sql
-- (the SqlExamplesITCase runs this very file; keep it working)
-- Re-running it appends the four orders again (a log keeps every entry): delete
-- data/sql-orders first to start over.
CREATE TABLE orders (
  customer STRING,
  amount   INT,
  seq      BIGINT METADATA FROM 'sequence' VIRTUAL
) WITH (
  'connector' = 'lsmlog',
  'path' = 'data/sql-orders',
  'format' = 'csv',
  'key.fields' = 'customer',
  'scan.bounded.mode' = 'latest'
);

INSERT INTO orders VALUES ('alice', 10), ('bob', 20), ('alice', 30), ('carol', 5);

-- totals per customer
SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer;

-- one customer's stream, read through key push-down
SELECT customer, amount, seq FROM orders WHERE customer = 'alice';
