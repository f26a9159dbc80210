-- The order's confirmation day (confirmedOn, column confirmed_on) is new: the confirm step
-- records it, and the reminders count an order's wait for payment or shipping from it rather
-- than from the day it was placed. Orders confirmed before it take the day their confirm step
-- was taken (core_record_steps keeps every step, in UTC; the day is the server's local one, as
-- a step's date field takes), so that no reminder
-- falls back to the order date. The engine would add the column itself; it is added here so
-- that it can be filled in the same migration (migration 0001 begins the table on a new
-- deployment, so it is there).
ALTER TABLE biz_ord_orders ADD COLUMN confirmed_on TEXT;
UPDATE biz_ord_orders
   SET confirmed_on = (SELECT date(min(s.at), 'localtime') FROM core_record_steps s
                        WHERE s.card = 'biz.orders/order' AND s.record_id = biz_ord_orders.id AND s.step = 'confirm')
 WHERE confirmed_on IS NULL;
