-- Expand: an order table whose total the application will read once the backfill has filled it.
CREATE TABLE orders (
    id               BIGINT  NOT NULL PRIMARY KEY,
    customer_id      BIGINT  NOT NULL,
    quantity         INTEGER NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    total_cents      BIGINT
);
