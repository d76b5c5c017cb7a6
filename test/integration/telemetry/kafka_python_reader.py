"""Reads `count` records of a topic with kafka-python, as a Python peer that knows nothing of
trace headers would, and json-parses each value; prints what it read as JSON."""
import json
import sys

from kafka import KafkaConsumer

if __name__ == "__main__":
    servers, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        consumer_timeout_ms=20000,
    )
    records = []
    for record in consumer:
        envelope = json.loads(record.value)
        records.append(
            {
                "body": record.value.decode("utf-8"),
                "redumped": json.dumps(envelope),
                "instruction_type": envelope["meta_data"].get("instruction_type"),
                "header_names": sorted(name for name, _ in (record.headers or [])),
            }
        )
        if len(records) >= count:
            break
    consumer.close()
    print(json.dumps({"records": records}))
