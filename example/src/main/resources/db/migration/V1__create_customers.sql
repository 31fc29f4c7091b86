-- Schema migrations stay with Flyway: they change the shape of the database and run before the app starts.
CREATE TABLE customers (
    id           BIGINT       NOT NULL PRIMARY KEY,
    first_name   VARCHAR(100) NOT NULL,
    last_name    VARCHAR(100) NOT NULL,
    email        VARCHAR(200) NOT NULL,
    phone        VARCHAR(40),
    country_code VARCHAR(2)   NOT NULL
);

-- Demo data, as a long-lived production table would have it: phone numbers typed by hand,
-- and a few test accounts left behind by a QA session.
INSERT INTO customers (id, first_name, last_name, email, phone, country_code) VALUES
    (1, 'Ada',     'Lovelace', 'ada@example.com',      '(020) 7946 0958',  'GB'),
    (2, 'Grace',   'Hopper',   'grace@example.com',    '202-555-0143',     'US'),
    (3, 'Alan',    'Turing',   'alan@example.com',     '+44 20 7946 0018', 'GB'),
    (4, 'Edsger',  'Dijkstra', 'edsger@example.com',   '020 555 0199',     'NL'),
    (5, 'Barbara', 'Liskov',   'barbara@example.com',  '617.555.0100',     'US'),
    (6, 'Test',    'Account',  'qa-1@example.test',    NULL,               'US'),
    (7, 'Test',    'Account',  'qa-2@example.test',    '555 0000',         'US');
