CREATE TABLE plans (
    code                VARCHAR(20)  NOT NULL PRIMARY KEY,
    name                VARCHAR(100) NOT NULL,
    monthly_price_cents INTEGER      NOT NULL
);
