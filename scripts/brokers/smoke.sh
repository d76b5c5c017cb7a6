#!/usr/bin/env bash
# Quick end-to-end check of the brokers started by brokers.sh, with clients
# that are not ours: kcat (librdkafka) for Kafka, boto3 for ElasticMQ and
# moto. Exits non-zero on the first failure.
#
# usage: smoke.sh [kafka] [sqs] [moto]      (default: all)
#
# kcat note: Debian's kcat links librdkafka 2.0.2, whose SCRAM client has a
# nonce bug (fixed in librdkafka 2.6.1) that Kafka 4.x rejects, so SCRAM is
# not checked here; SASL/PLAIN is.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
eval "$(bash "$here/brokers.sh" env)"
CACHE=${MESSAGE_BUS_CACHE:-$HOME/.cache/nestjs-message-bus}

[ $# -gt 0 ] || set -- kafka sqs moto

pass() { printf '[smoke] ok   %s\n' "$*"; }
fail() {
  printf '[smoke] FAIL %s\n' "$*" >&2
  exit 1
}

# kcat_round_trip LABEL BOOTSTRAP [kcat options...]: produce one unique
# message to a fresh (auto-created) topic and read it back.
kcat_round_trip() {
  local label=$1 bootstrap=$2
  shift 2
  local topic msg got
  topic=smoke-$label-$$-$RANDOM
  msg="hello $label $RANDOM"
  printf '%s\n' "$msg" | kcat -b "$bootstrap" "$@" -t "$topic" -P -q ||
    fail "kafka $label: produce"
  got=$(kcat -b "$bootstrap" "$@" -t "$topic" -C -o beginning -c 1 -e -q -m 30) ||
    fail "kafka $label: consume"
  [ "$got" = "$msg" ] || fail "kafka $label: read back '$got', expected '$msg'"
  pass "kafka $label: produced and consumed on $bootstrap"
}

check_kafka() {
  command -v kcat >/dev/null || fail "kcat missing (run scripts/brokers/install-prereqs.sh)"
  local sasl=(-X sasl.mechanisms=PLAIN -X "sasl.username=$KAFKA_SASL_USERNAME")
  kcat_round_trip plaintext "$KAFKA_BOOTSTRAP_SERVERS"
  kcat_round_trip sasl-plaintext "$KAFKA_SASL_BOOTSTRAP_SERVERS" \
    -X security.protocol=SASL_PLAINTEXT "${sasl[@]}" -X "sasl.password=$KAFKA_SASL_PASSWORD"
  # librdkafka 2.x verifies the broker's host name against the certificate.
  kcat_round_trip sasl-ssl "$KAFKA_SASL_SSL_BOOTSTRAP_SERVERS" \
    -X security.protocol=SASL_SSL -X "ssl.ca.location=$KAFKA_SSL_CA_FILE" \
    -X ssl.endpoint.identification.algorithm=https \
    "${sasl[@]}" -X "sasl.password=$KAFKA_SASL_PASSWORD"
  local out
  if out=$(kcat -b "$KAFKA_SASL_BOOTSTRAP_SERVERS" -X security.protocol=SASL_PLAINTEXT \
    "${sasl[@]}" -X sasl.password=wrong-password -L -m 3 2>&1); then
    fail "kafka: a wrong SASL password was accepted"
  fi
  grep -q 'Authentication failed' <<<"$out" || fail "kafka: wrong password failed oddly: $out"
  pass "kafka: wrong SASL password rejected"
}

# check_sqs NAME ENDPOINT: queue life cycle with boto3 from moto's venv.
check_sqs() {
  local py=$CACHE/moto-venv/bin/python
  [ -x "$py" ] || fail "no $py (run brokers.sh up moto first)"
  "$py" - "$1" "$2" <<'EOF' || fail "$1: boto3 round trip"
import sys, uuid, boto3
name, endpoint = sys.argv[1], sys.argv[2]
sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="eu-west-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
queue = f"smoke-{uuid.uuid4().hex[:8]}"
url = sqs.create_queue(QueueName=queue)["QueueUrl"]
body = f"hello {queue}"
sqs.send_message(QueueUrl=url, MessageBody=body,
                 MessageAttributes={"kind": {"DataType": "String", "StringValue": "smoke"}})
msgs = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2, MaxNumberOfMessages=1,
                           MessageAttributeNames=["All"]).get("Messages", [])
assert len(msgs) == 1 and msgs[0]["Body"] == body, msgs
assert msgs[0]["MessageAttributes"]["kind"]["StringValue"] == "smoke", msgs
sqs.delete_message(QueueUrl=url, ReceiptHandle=msgs[0]["ReceiptHandle"])
assert not sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages"), "message not deleted"
sqs.delete_queue(QueueUrl=url)
print(f"[smoke] ok   {name}: create/send/receive/delete on {url}")
EOF
}

for n in "$@"; do
  case $n in
  kafka) check_kafka ;;
  sqs | elasticmq) check_sqs elasticmq "$SQS_ENDPOINT" ;;
  moto) check_sqs moto "$MOTO_SQS_ENDPOINT" ;;
  *) fail "unknown broker '$n'" ;;
  esac
done
