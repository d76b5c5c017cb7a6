"""The Python side of the SQS interop tests: what a Python service using boto3 puts on
and reads off the queue. Builds envelopes the way the Python client does: a dict in its
field order, sent as json.dumps(message) with its default separators and ASCII escaping.

usage: boto3_peer.py send QUEUE_URL IDEMPOTENCY_KEY
       boto3_peer.py send-raw QUEUE_URL BODY
       boto3_peer.py send-all QUEUE_URL MESSAGES_JSON   (a JSON array of envelopes, each sent as json.dumps)
       boto3_peer.py receive QUEUE_URL
Prints one JSON object on stdout. Reads the endpoint from SQS_ENDPOINT_URL.
"""
import json
import os
import sys

import boto3


def sqs():
    return boto3.client(
        "sqs",
        endpoint_url=os.environ["SQS_ENDPOINT_URL"],
        region_name=os.environ.get("AWS_REGION", "eu-west-1"),
    )


def send(queue_url, idempotency_key):
    message = {
        "meta_data": {
            "source": "PYTHON_SERVICE",
            "created_at": "2021-01-01T00:00:00Z",
            "token": "python.service.token",
            "idempotency_key": idempotency_key,
            "instruction_type": "PAYMENT",
        },
        "payload": {
            "external_reference": "P-PY-1",
            "payer_name": "Zoë Ørsted",
            "currency": "EUR",
            "value": "12.50",
            "source": "BANK",
            "reference": "REF-PY",
            "direction": "INBOUND",
        },
    }
    body = json.dumps(message)
    response = sqs().send_message(QueueUrl=queue_url, MessageBody=body, DelaySeconds=0)
    return {"message_id": response["MessageId"], "body": body}


def send_raw(queue_url, body):
    response = sqs().send_message(QueueUrl=queue_url, MessageBody=body, DelaySeconds=0)
    return {"message_id": response["MessageId"], "body": body}


def send_all(queue_url, messages_json):
    client = sqs()
    sent = []
    for message in json.loads(messages_json):
        body = json.dumps(message)
        response = client.send_message(QueueUrl=queue_url, MessageBody=body, DelaySeconds=0)
        sent.append({"message_id": response["MessageId"], "body": body})
    return {"sent": sent}


def receive(queue_url):
    client = sqs()
    response = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=10)
    messages = response.get("Messages", [])
    if not messages:
        return {"received": False}
    message = messages[0]
    client.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    body = message["Body"]
    return {
        "received": True,
        "message_id": message["MessageId"],
        "body": body,
        # The Python client's own serialisation of what it parsed: equal only if the
        # bytes on the wire are exactly json.dumps output.
        "redumped": json.dumps(json.loads(body)),
    }


if __name__ == "__main__":
    command, queue_url, *rest = sys.argv[1:]
    commands = {"send": send, "send-raw": send_raw, "send-all": send_all, "receive": receive}
    if command not in commands:
        sys.exit(f"unknown command {command!r}: use send, send-raw, send-all or receive")
    print(json.dumps(commands[command](queue_url, *rest)))
