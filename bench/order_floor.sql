-- One 3-line order as raw SQL: the floor bench/api_http.py compares the HTTP path against.
-- Python format fields named in braces are filled in by the bench; :variables by pgbench.
\set a random(1, {third})
\set b random({third} + 1, 2 * {third})
\set c random(2 * {third} + 1, 3 * {third})
BEGIN;
UPDATE catalog_product SET stock = stock - 1, updated_at = now() WHERE id = (SELECT id FROM bench_ids WHERE n = :a) AND company_id = '{company}' AND is_active AND stock >= 1 RETURNING id AS ida, stock AS sa, name AS na, sku AS ka, price AS pa \gset
UPDATE catalog_product SET stock = stock - 1, updated_at = now() WHERE id = (SELECT id FROM bench_ids WHERE n = :b) AND company_id = '{company}' AND is_active AND stock >= 1 RETURNING id AS idb, stock AS sb, name AS nb, sku AS kb, price AS pb \gset
UPDATE catalog_product SET stock = stock - 1, updated_at = now() WHERE id = (SELECT id FROM bench_ids WHERE n = :c) AND company_id = '{company}' AND is_active AND stock >= 1 RETURNING id AS idc, stock AS sc, name AS nc, sku AS kc, price AS pc \gset
SELECT nextval('order_number_{company_hex}') AS num, low_stock_threshold AS th, gen_random_uuid() AS oid, gen_random_uuid() AS aid FROM accounts_company WHERE id = '{company}' \gset
INSERT INTO orders_order (id, created_at, updated_at, company_id, number, status, channel, po_number, notes, total) VALUES (:oid, now(), now(), '{company}', :num, 'SUBMITTED', 'API', '', '', 29.97);
INSERT INTO audit_auditentry (id, company_id, created_at, actor_type, actor_label, action, entity_type, entity_id, channel, metadata) VALUES (:aid, '{company}', now(), 'USER', 'bench', 'OrderPlaced', 'order', :oid, 'API', '{{"number": 1}}');
INSERT INTO orders_orderline (id, order_id, product_id, product_name, product_sku, quantity, unit_price) VALUES (gen_random_uuid(), :oid, :ida, :na, :ka, 1, :pa), (gen_random_uuid(), :oid, :idb, :nb, :kb, 1, :pb), (gen_random_uuid(), :oid, :idc, :nc, :kc, 1, :pc);
INSERT INTO catalog_stockmovement (id, company_id, product_id, created_at, delta, stock_before, stock_after, reason, channel, actor_type, actor_label, order_id, audit_entry_id, reference, note) VALUES (gen_random_uuid(), '{company}', :ida, now(), -1, :sa + 1, :sa, 'ORDER', 'API', 'USER', 'bench', :oid, :aid, '', ''), (gen_random_uuid(), '{company}', :idb, now(), -1, :sb + 1, :sb, 'ORDER', 'API', 'USER', 'bench', :oid, :aid, '', ''), (gen_random_uuid(), '{company}', :idc, now(), -1, :sc + 1, :sc, 'ORDER', 'API', 'USER', 'bench', :oid, :aid, '', '');
COMMIT;
