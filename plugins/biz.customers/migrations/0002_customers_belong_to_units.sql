-- Customers belong to an organisation unit: data scope decides who sees them. Customers
-- made before units existed go to the root unit.
ALTER TABLE biz_customers ADD COLUMN unit_id INTEGER REFERENCES core_units(id);
UPDATE biz_customers SET unit_id = (SELECT id FROM core_units WHERE parent_id IS NULL ORDER BY id LIMIT 1)
 WHERE unit_id IS NULL;
CREATE INDEX biz_customers_unit ON biz_customers(unit_id, id);
