-- One 3-line order as raw SQL: the floor bench/api_http.py compares the HTTP path against.
-- Same statements as order_place on PostgreSQL: one stock UPDATE for every line (rows locked
-- in pk order first), the order number, then the order, audit entry, lines and movements.
-- Python format fields named in braces are filled in by the bench; :variables by pgbench.
\set a random(1, {third})
\set b random({third} + 1, 2 * {third})
\set c random(2 * {third} + 1, 3 * {third})
BEGIN;
WITH wanted AS (SELECT id FROM bench_ids WHERE n IN (:a, :b, :c)), locked AS MATERIALIZED (SELECT p.id FROM catalog_product p JOIN wanted w ON w.id = p.id WHERE p.company_id = '{company}' ORDER BY p.id FOR UPDATE OF p), taken AS (UPDATE catalog_product p SET stock = p.stock - 1, updated_at = now() FROM locked l WHERE p.id = l.id AND p.is_active AND p.stock >= 1 RETURNING p.id, p.stock, p.name, p.sku, p.price) SELECT (array_agg(id ORDER BY id))[1] AS ida, (array_agg(stock ORDER BY id))[1] AS sa, (array_agg(name ORDER BY id))[1] AS na, (array_agg(sku ORDER BY id))[1] AS ka, (array_agg(price ORDER BY id))[1] AS pa, (array_agg(id ORDER BY id))[2] AS idb, (array_agg(stock ORDER BY id))[2] AS sb, (array_agg(name ORDER BY id))[2] AS nb, (array_agg(sku ORDER BY id))[2] AS kb, (array_agg(price ORDER BY id))[2] AS pb, (array_agg(id ORDER BY id))[3] AS idc, (array_agg(stock ORDER BY id))[3] AS sc, (array_agg(name ORDER BY id))[3] AS nc, (array_agg(sku ORDER BY id))[3] AS kc, (array_agg(price ORDER BY id))[3] AS pc FROM taken \gset
SELECT nextval('order_number_{company_hex}') AS num, low_stock_threshold AS th, gen_random_uuid() AS oid, gen_random_uuid() AS aid FROM accounts_company WHERE id = '{company}' \gset
INSERT INTO orders_order (id, created_at, updated_at, company_id, number, status, channel, po_number, notes, total) VALUES (:oid, now(), now(), '{company}', :num, 'SUBMITTED', 'API', '', '', 29.97);
INSERT INTO audit_auditentry (id, company_id, created_at, actor_type, actor_label, action, entity_type, entity_id, channel, metadata) VALUES (:aid, '{company}', now(), 'USER', 'bench', 'OrderPlaced', 'order', :oid, 'API', '{{"number": 1}}');
INSERT INTO orders_orderline (id, order_id, product_id, product_name, product_sku, quantity, unit_price) VALUES (gen_random_uuid(), :oid, :ida, :na, :ka, 1, :pa), (gen_random_uuid(), :oid, :idb, :nb, :kb, 1, :pb), (gen_random_uuid(), :oid, :idc, :nc, :kc, 1, :pc);
INSERT INTO catalog_stockmovement (id, company_id, product_id, created_at, delta, stock_before, stock_after, reason, channel, actor_type, actor_label, order_id, audit_entry_id, reference, note) VALUES (gen_random_uuid(), '{company}', :ida, now(), -1, :sa + 1, :sa, 'ORDER', 'API', 'USER', 'bench', :oid, :aid, '', ''), (gen_random_uuid(), '{company}', :idb, now(), -1, :sb + 1, :sb, 'ORDER', 'API', 'USER', 'bench', :oid, :aid, '', ''), (gen_random_uuid(), '{company}', :idc, now(), -1, :sc + 1, :sc, 'ORDER', 'API', 'USER', 'bench', :oid, :aid, '', '');
COMMIT;
