-- Expand: a new column the data migrations fill.
ALTER TABLE customers ADD COLUMN full_name VARCHAR(201);
