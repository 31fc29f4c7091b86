-- Expand: a new column the application will read once the data migration has filled it.
ALTER TABLE customers ADD COLUMN full_name VARCHAR(201);
