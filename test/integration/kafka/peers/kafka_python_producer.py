"""kafka-python (the Python client's Kafka library) as a producer, for the peer-dialect tests.
Writes each message as the Python client does: the envelope dict in its field order, sent as
json.dumps(message) with its default separators and ASCII escaping, UTF-8 encoded. Waits until
the broker acknowledged every record, then prints one JSON object: the bodies it sent, in order.

usage: kafka_python_producer.py BOOTSTRAP TOPIC MESSAGES_JSON
    MESSAGES_JSON: a JSON array of {"key": str, "message": {...}}
"""
import json
import sys

from kafka import KafkaProducer


def main(bootstrap, topic, messages_json):
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", client_id="kafka-python-producer")
    bodies = []
    try:
        for entry in json.loads(messages_json):
            body = json.dumps(entry["message"])
            producer.send(topic, key=entry["key"].encode("utf-8"), value=body.encode("utf-8")).get(timeout=20)
            bodies.append(body)
        producer.flush()
    finally:
        producer.close()
    print(json.dumps({"bodies": bodies}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
