#!/usr/bin/env bash
# biz.orders' sales summary by month over 1,000,000 order lines: the host's report
# (GET /api/v1/biz.orders/sales?year=&by=month, by an administrator of the whole company, over
# HTTP with curl) side by side with the same query written by hand in the sqlite3 shell; both
# answers are checked to be the same months and amounts. The target (issue 18): the host at
# most 2x the sqlite3 shell.
#
#   bench/orders-sales.sh [--build DIR] [--lines N] [--runs N] [--keep DIR]
#
# Defaults: build-bench (or $TESSERA_BENCH_BUILD), 1000000 lines on 250,000 orders (4 lines
# each) of 200 customers and 500 products, all in one year, ~4% of the orders cancelled and
# ~4% still placed (not counted as sold); 5 rounds, each the sqlite3 query and then the GET.
# Customers and products are made over HTTP (their names' sort keys are the host's), orders and
# lines by the sqlite3 shell in one transaction, every column as the plugin's hooks derive it.
# --keep DIR keeps the database there (orders.db). A quick check: --lines 40000.
source "$(dirname "$0")/lib.sh"

build_arg="" lines=1000000 runs=5 keep=""
while [ $# -gt 0 ]; do
  case $1 in
    --build) build_arg=$2; shift 2 ;;
    --lines) lines=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "orders-sales: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

bench_install curl:curl sqlite3:sqlite3 python3:python3
bench_build "$build_arg"
secs() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN {printf "%.3f", b - a}'; }

db="$work/db/orders.db"
mkdir -p "$(dirname "$db")"
config="$work/deployment.xml"
deployment_config "$config" "$db" 0 2 biz.customers biz.orders
tessera=("$build/bin/tessera")
year=2025
orders=$(( (lines + 3) / 4 ))

echo "tessera: $build/bin/tessera, plugins biz.customers biz.orders"
echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1-2)"
echo "data:    $lines lines on $orders orders in $year"

# 1. An administrator, the tables (made by the host on its first start), customers and products.
t0=$EPOCHREALTIME
echo "bench-password" | "${tessera[@]}" user add bench --unit 1 --admin --password-stdin --config "$config" >/dev/null
auth="Authorization: Bearer $("${tessera[@]}" user token bench --label benchmark --config "$config")"
start_tessera "$config" "$work/tessera.out"
python3 - "$tessera_port" "$auth" <<'PY'
import http.client, json, sys
port, auth = sys.argv[1], sys.argv[2].split(": ", 1)[1]
c = http.client.HTTPConnection("127.0.0.1", int(port))
def post(path, body):
    c.request("POST", path, json.dumps(body), {"Authorization": auth, "Content-Type": "application/json"})
    r = c.getresponse(); data = r.read()
    if r.status != 201: sys.exit("orders-sales: POST %s answered %d: %s" % (path, r.status, data.decode()))
family = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
for i in range(200):
    post("/api/v1/biz.customers/customers", {"name": "%s氏商贸%03d" % (family[i % len(family)], i), "unitId": 1,
                                             "address": "某市某区某路%d号" % i})
for i in range(500):
    post("/api/v1/biz.orders/products", {"code": "P%04d" % i, "name": "%s牌商品%03d" % (family[i % len(family)], i),
                                         "measure": "件", "price": "%d.%02d" % (1 + i * 37 % 2000, i % 100), "unitId": 1})
PY
stop "$tessera_pid"
echo "  customers, products (HTTP): $(secs "$t0") s"

# 2. Orders and lines by the sqlite3 shell; the secondary indexes dropped first and made again
#    after the rows, as the host's bulk import does. Per line: a product by a hash of its
#    number, 1 to 20 pieces, its price, a discount of 0, 5 or 12.5% on a fifth of the lines.
t0=$EPOCHREALTIME
tables="'biz_ord_orders', 'biz_ord_lines'"
drop_sql=$(sqlite3 -readonly "$db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ($tables)")
make_sql=$(sqlite3 -readonly "$db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ($tables)")
now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
sqlite3 "$db" >/dev/null <<SQL
PRAGMA journal_mode = DELETE;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -262144;
BEGIN;
$drop_sql
CREATE TEMP TABLE c AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, name, name_sort, address, phone FROM biz_customers;
CREATE TEMP TABLE p AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, name, price FROM biz_ord_products;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $orders),
o AS (SELECT i, date('$year-01-01', '+' || ((i * 7919) % 365) || ' days') AS d, (i * 2654435761) % 1000 AS h FROM n)
INSERT INTO biz_ord_orders(id, order_no, customer_id, customer_name, customer_name_sort, order_date, unit_id, payment_type,
                           address, phone, notes, total, state, assignee, paid_on, payment_ref, shipped_on, waybill,
                           completed_on, escrow_released_on, version, created_at, updated_at)
SELECT o.i, 'DD' || replace(o.d, '-', '') || '-' || printf('%06d', o.i), c.id, c.name, c.name_sort, o.d, 1,
       CASE o.h % 3 WHEN 0 THEN 'cod' WHEN 1 THEN 'prepaid' ELSE 'escrow' END, c.address, c.phone, '', 0,
       CASE WHEN o.h < 40 THEN 'cancelled' WHEN o.h < 80 THEN 'placed' ELSE 'completed' END,
       CASE WHEN o.h < 80 THEN '' ELSE '一号仓库' END,
       CASE WHEN o.h < 80 THEN NULL ELSE o.d END, '', CASE WHEN o.h < 80 THEN NULL ELSE o.d END, '',
       CASE WHEN o.h < 80 THEN NULL ELSE o.d END, CASE WHEN o.h >= 80 AND o.h % 3 = 2 THEN o.d END, 1, '$now', '$now'
FROM o JOIN c ON c.k = o.i % (SELECT count(*) FROM c);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $lines),
l AS (SELECT i, (i - 1) / 4 + 1 AS oid, (i * 40503) % (SELECT count(*) FROM p) AS pk, 1 + (i * 9973) % 20 AS q,
             CASE (i * 31) % 10 WHEN 0 THEN 500 WHEN 1 THEN 1250 ELSE 0 END AS disc FROM n)
INSERT INTO biz_ord_lines(id, order_id, product_id, product_name, quantity, unit_price, discount, total, order_date, customer_id,
                          unit_id, version, created_at, updated_at)
SELECT l.i, l.oid, p.id, p.name, l.q, p.price, l.disc, (2 * l.q * p.price * (10000 - l.disc) + 10000) / 20000,
       o.order_date, o.customer_id, 1, 1, '$now', '$now'
FROM l JOIN p ON p.k = l.pk JOIN biz_ord_orders o ON o.id = l.oid;
UPDATE biz_ord_orders SET total = s.fen FROM (SELECT order_id, sum(total) AS fen FROM biz_ord_lines GROUP BY order_id) AS s
WHERE biz_ord_orders.id = s.order_id;
$make_sql
COMMIT;
PRAGMA journal_mode = WAL;
ANALYZE;
SQL
echo "  orders and lines (sqlite3): $(secs "$t0") s; $(sqlite3 -readonly "$db" "SELECT count(*) FROM biz_ord_lines") lines"

# 3. The rounds. The hand-written query: the report's own, as one would write it in the shell.
query="SELECT substr(l.order_date, 1, 7) AS month, count(*) AS lines, sum(l.quantity) AS quantity, sum(l.total) AS fen
FROM biz_ord_lines l JOIN biz_ord_orders o ON o.id = l.order_id
WHERE l.order_date >= '$year-01-01' AND l.order_date < '$((year + 1))-01-01' AND o.state NOT IN ('placed', 'cancelled')
GROUP BY 1 ORDER BY 1;"
start_tessera "$config" "$work/tessera.out"
url="http://127.0.0.1:$tessera_port/api/v1/biz.orders/sales?year=$year&by=month"
expected=$(sqlite3 -readonly "$db" "$query" | awk -F'|' '{printf "%s %s %s %d.%02d\n", $1, $2, $3, $4 / 100, $4 % 100}')
got=$(curl -sf -H "$auth" "$url" | python3 -c '
import json, sys
for i in json.load(sys.stdin)["items"]: print(i["label"], i["lines"], i["quantity"], i["amount"])')
[ "$got" = "$expected" ] || { echo "orders-sales: the answers differ:"; diff <(echo "$expected") <(echo "$got"); exit 1; }
echo "  both answer the same $(echo "$got" | wc -l) months, $(echo "$got" | awk '{n += $2} END {print n}') lines sold"
shell=() host=()
for r in $(seq "$runs"); do
  t0=$EPOCHREALTIME; sqlite3 -readonly "$db" "$query" >/dev/null; s=$(secs "$t0")
  t0=$EPOCHREALTIME; curl -sf -o /dev/null -H "$auth" "$url"; h=$(secs "$t0")
  shell+=("$s") host+=("$h")
  echo "  round $r: sqlite3 $s s, tessera $h s, ratio $(ratio "$h" "$s")"
done
stop "$tessera_pid"
ms=$(median "${shell[@]}") mh=$(median "${host[@]}")
echo "median: sqlite3 $ms s, tessera $mh s; tessera/sqlite3 = $(ratio "$mh" "$ms") (target <= 2)"
if [ -n "$keep" ]; then mkdir -p "$keep" && cp "$db" "$keep/orders.db" && echo "kept $keep/orders.db"; fi
