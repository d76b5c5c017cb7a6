"""kafka-python (the Python client's Kafka library) as a member of a consumer group, for the
mixed-group tests. Offers range then roundrobin (kafka-python's default), commits what it
printed after each poll, and prints one line per event, flushed at once:
    assigned:<p>,<p>,...     after each rebalance, the partitions of the topic it now owns
    record:<partition>:<offset>:<value>
    closed                   once it has committed and left the group
It leaves the group when its standard input ends.

usage: kafka_python_group_consumer.py BOOTSTRAP TOPIC GROUP
"""
import sys
import threading

from kafka import ConsumerRebalanceListener, KafkaConsumer


def emit(line):
    print(line, flush=True)


class Listener(ConsumerRebalanceListener):
    def __init__(self, topic):
        self.topic = topic

    def on_partitions_revoked(self, revoked):
        pass

    def on_partitions_assigned(self, assigned):
        owned = sorted(tp.partition for tp in assigned if tp.topic == self.topic)
        emit("assigned:" + ",".join(str(p) for p in owned))


def main(bootstrap, topic, group):
    stop = threading.Event()

    def watch_stdin():
        for _ in sys.stdin:
            pass
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,
        client_id="kafka-python-group-consumer",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=6000,
        heartbeat_interval_ms=300,
    )
    consumer.subscribe([topic], listener=Listener(topic))
    while not stop.is_set():
        batches = consumer.poll(timeout_ms=200)
        lines = [
            "record:%d:%d:%s" % (record.partition, record.offset, record.value.decode("utf-8"))
            for records in batches.values()
            for record in records
        ]
        if lines:
            emit("\n".join(lines))
            consumer.commit()
    consumer.close()
    emit("closed")


if __name__ == "__main__":
    main(*sys.argv[1:4])
