#!/usr/bin/env bash
# Chaos on kind: under a steady checkout load through the gateway (localhost:8080), delete the
# pod(s) of one service, watch /api/system/health and the orders recover, then check the
# invariants and exit non-zero when one breaks.
#
# Steady-state hypothesis: losing a pod costs at most a few retried requests; every order placed
# ends CONFIRMED or CANCELLED, no unit is oversold or left reserved, no order is charged twice.
#
#   infra/deploy/kind-chaos.sh [service]     the service whose pod is deleted (default: order)
#   ORDERS=30       checkouts in the load (1..100)
#   ALL_PODS=true   delete every pod of the service, not one
#   SETTLE=180      seconds the orders get to reach a final status after the load
# Needs the system deployed by infra/deploy/kind-deploy.sh, and curl, jq, kubectl. Run it on a
# quiet system: the stock and reservation checks assume no one else is ordering the product.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

target="${1:-order}"
orders="${ORDERS:-30}"
all_pods="${ALL_PODS:-false}"
settle="${SETTLE:-180}"
gateway=http://localhost:8080
kube=(kubectl --context kind-shop -n shop)
secrets="$repo_root/k8s/overlays/kind/secrets/identity.env"

require curl "apt-get install curl"
require jq "apt-get install jq"
require kubectl "https://kubernetes.io/docs/tasks/tools/"
if [ "$orders" -lt 1 ] || [ "$orders" -gt 100 ]; then
  echo "ORDERS must be 1..100 (one page of the customer's orders)" >&2
  exit 2
fi
"${kube[@]}" get "deployment/$target" >/dev/null

work="$(mktemp -d)"
load_pid=""
cleanup() {
  if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# call METHOD PATH [TOKEN] [BODY] [IDEMPOTENCY_KEY]: the body on stdout; fails on a non-2xx status.
call() {
  local method=$1 path=$2 token=${3:-} body=${4:-} key=${5:-}
  local args=(-sS -o "$work/response.$BASHPID" -w '%{http_code}' -X "$method" "$gateway$path")
  if [ -n "$token" ]; then args+=(-H "authorization: Bearer $token"); fi
  if [ -n "$body" ]; then args+=(-H 'content-type: application/json' --data "$body"); fi
  if [ -n "$key" ]; then args+=(-H "idempotency-key: $key"); fi
  local status
  status="$(curl "${args[@]}" || echo 000)"
  cat "$work/response.$BASHPID" 2>/dev/null || true
  [ "${status:0:1}" = 2 ]
}

login() {
  local password
  password="$(grep "^$2=" "$secrets" | cut -d= -f2-)"
  call POST /api/auth/login '' "$(jq -nc --arg e "$1" --arg p "$password" '{email: $e, password: $p}')" |
    jq -r .token
}

# One checkout: put exactly one unit in the cart, then place the order. A 5xx (the pod being
# deleted) is retried with the same Idempotency-Key, which the order service answers only once.
checkout() {
  local number=$1 key
  key="chaos-$run-$number"
  for _ in $(seq 1 15); do
    if call PUT "/api/cart/items/$product" "$customer" '{"quantity":1}' >/dev/null ||
      call POST /api/cart/items "$customer" "{\"productId\":\"$product\",\"quantity\":1}" >/dev/null; then
      if call POST /api/orders "$customer" "$order_body" "$key" >"$work/placed.$number"; then
        jq -r .id "$work/placed.$number" >>"$work/orders"
        return 0
      fi
    fi
    echo "$number" >>"$work/retries"
    sleep 1
  done
  echo "$number" >>"$work/unplaced"
}

load() {
  local number
  for number in $(seq 1 "$orders"); do
    checkout "$number"
    sleep 0.3
  done
}

count_lines() { if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi; }

health_line() {
  call GET /api/system/health |
    jq -r --arg t "$target" '"system \(.status); \($t): " +
      ((.upstreams[] | select(.name == $t) | "\(.status), breaker \(.breaker)") // "not listed")' ||
    echo "system health unavailable"
}

echo "== preparing"
call GET /health/ready >/dev/null || {
  echo "the gateway at $gateway is not ready: deploy with infra/deploy/kind-deploy.sh" >&2
  exit 1
}
run="$(date +%s)"
customer="$(login customer@shop.test DEMO_CUSTOMER_PASSWORD)"
admin="$(login admin@shop.test DEMO_ADMIN_PASSWORD)"
product="$(call GET '/api/products?inStock=true&pageSize=1' | jq -r '.items[0].id')"
if [ "$(call GET "/api/inventory/$product" | jq .available)" -lt "$orders" ]; then
  call POST "/api/inventory/$product/restock" "$admin" "{\"quantity\":$orders}" >/dev/null
fi
call GET "/api/inventory/$product" >"$work/stock-before"
call DELETE /api/cart "$customer" >/dev/null || true
order_body='{"shippingAddress":{"name":"Chaos Monkey","line1":"1 Pod Street","city":"Kind","postalCode":"8080","country":"DE"},"paymentToken":"tok_visa"}'
echo "product $product, stock before: $(jq -c '{onHand, reserved, available}' "$work/stock-before")"
echo "hypothesis: every order ends CONFIRMED or CANCELLED, stock and payments reconcile"

echo "== load: $orders checkouts"
: >"$work/orders"
load &
load_pid=$!

until [ "$(count_lines "$work/orders")" -ge $((orders / 3)) ] || ! kill -0 "$load_pid" 2>/dev/null; do
  sleep 0.5
done

echo "== fault: deleting $([ "$all_pods" = true ] && echo 'every pod' || echo 'one pod') of $target"
if [ "$all_pods" = true ]; then
  "${kube[@]}" delete pod -l "app=$target" --wait=false
else
  victim="$("${kube[@]}" get pod -l "app=$target" -o jsonpath='{.items[0].metadata.name}')"
  "${kube[@]}" delete pod "$victim" --wait=false
fi
fault_at=$SECONDS

while kill -0 "$load_pid" 2>/dev/null; do
  echo "  +$((SECONDS - fault_at))s  $(health_line)  placed $(count_lines "$work/orders")/$orders"
  sleep 2
done
wait "$load_pid" || true
load_pid=""
"${kube[@]}" rollout status "deployment/$target" --timeout=180s
echo "  +$((SECONDS - fault_at))s  $(health_line)  (rollout complete)"

echo "== recovery: waiting up to ${settle}s for every order to finish"
mapfile -t placed < <(sort -u "$work/orders" 2>/dev/null || true)
deadline=$((SECONDS + settle))
while :; do
  call GET '/api/orders?pageSize=100' "$customer" >"$work/orders.json" || true
  open="$(jq --rawfile ids "$work/orders" '($ids | split("\n") | map(select(. != ""))) as $mine
    | [.items[]? | select(.id as $id | $mine | index($id)) | select(.status != "CONFIRMED" and .status != "CANCELLED")]
    | length' "$work/orders.json" 2>/dev/null || echo unknown)"
  if [ "$open" = 0 ] || [ $SECONDS -ge $deadline ]; then break; fi
  echo "  $open orders still in flight"
  sleep 2
done

echo "== invariants"
failures=0
check() { # check DESCRIPTION CONDITION...
  local description=$1
  shift
  if "$@"; then echo "  ok    $description"; else echo "  FAIL  $description"; failures=$((failures + 1)); fi
}

confirmed_units=0
for id in "${placed[@]}"; do
  call GET "/api/orders/$id" "$customer" >"$work/order.$id" || echo '{}' >"$work/order.$id"
  call GET "/api/payments?orderId=$id" "$admin" >"$work/payments.$id" || echo '{}' >"$work/payments.$id"
  if [ "$(jq -r .status "$work/order.$id")" = CONFIRMED ]; then
    confirmed_units=$((confirmed_units + $(jq '[.items[].quantity] | add' "$work/order.$id")))
  fi
done

all_known() { for id in "${placed[@]}"; do jq -e .id "$work/order.$id" >/dev/null || return 1; done; }
all_final() {
  for id in "${placed[@]}"; do
    jq -e '.status == "CONFIRMED" or .status == "CANCELLED"' "$work/order.$id" >/dev/null || return 1
  done
}
# A confirmed order holds exactly one authorization and no refund; a cancelled one holds no
# authorization that was not refunded; no order is ever authorized twice.
charged_once() {
  for id in "${placed[@]}"; do
    jq -e --slurpfile order "$work/order.$id" '
      [.items[]? | select(.status == "AUTHORIZED")] as $authorized
      | ($authorized | length) <= 1 and
        (if $order[0].status == "CONFIRMED" then ($authorized | length) == 1 and ($authorized[0].refunds | length) == 0
         else all($authorized[]; (.refunds | length) == 1) end)' "$work/payments.$id" >/dev/null || return 1
  done
}
call GET "/api/inventory/$product" >"$work/stock-after"
stock_reconciles() {
  local before after
  before="$(jq .onHand "$work/stock-before")"
  after="$(jq .onHand "$work/stock-after")"
  [ $((before - after)) -eq "$confirmed_units" ]
}
nothing_reserved() { [ "$(jq .reserved "$work/stock-after")" -eq "$(jq .reserved "$work/stock-before")" ]; }
quiet() { call GET /api/orders/reconciliation/summary "$admin" | jq -e '.inFlightOrders == 0' >/dev/null; }

check "every order placed is known (${#placed[@]} of $orders placed, $(count_lines "$work/unplaced") given up)" all_known
check "every order is CONFIRMED or CANCELLED" all_final
check "on hand fell by exactly the $confirmed_units confirmed units (no oversell, no lost commit)" stock_reconciles
check "no reservation left behind" nothing_reserved
check "no double charge; cancelled orders refunded" charged_once
check "order service reconciliation: no order in flight" quiet

echo
echo "retried requests: $(count_lines "$work/retries")"
echo "stock after: $(jq -c '{onHand, reserved, available}' "$work/stock-after")"
echo "payments: $(call GET /api/payments/summary "$admin" | jq -c '{payments, refunds}' || echo unavailable)"
if [ "$failures" -gt 0 ]; then
  echo "$failures invariant(s) broken"
  exit 1
fi
echo "every invariant held"
