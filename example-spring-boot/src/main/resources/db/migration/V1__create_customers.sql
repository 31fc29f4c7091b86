-- Schema with Flyway; the rows stand for a table that lived in production for years.
CREATE TABLE customers (
    id         BIGINT       NOT NULL PRIMARY KEY,
    first_name VARCHAR(100) NOT NULL,
    last_name  VARCHAR(100) NOT NULL,
    email      VARCHAR(200) NOT NULL
);
INSERT INTO customers (id, first_name, last_name, email) VALUES
    (1, 'Ada',     'Lovelace', ' Ada@Example.COM'),
    (2, 'Grace',   'Hopper',   'grace@example.com '),
    (3, 'Alan',    'Turing',   'ALAN@example.com'),
    (4, 'Edsger',  'Dijkstra', 'edsger@example.com'),
    (5, 'Barbara', 'Liskov',   'Barbara@Example.com');
