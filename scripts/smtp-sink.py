#!/usr/bin/env python3
"""A local SMTP sink for the tests and the cluster demo (Python aiosmtpd).

Accepts every message on 127.0.0.1:PORT and writes each to DIR as a file of its own (`<time>-<n>.eml`,
the message as received, written under a temporary name and renamed, so a reader never sees half a
message), and beside it `<time>-<n>.txt`, its headers and decoded text for a person to read (links
included, without the quoted-printable line breaks of the raw message). While a file named `refuse` exists in DIR it answers 451 (try again later) instead: that is
how the tests make deliveries fail. Runs until it is sent SIGTERM or SIGINT.

usage: smtp-sink.py PORT DIR
"""
import email
import email.policy
import itertools
import os
import signal
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.folder, "refuse")):
            return "451 4.3.0 Not accepting mail right now"
        with self.lock:
            name = f"{time.time_ns()}-{next(self.numbers):06d}.eml"
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        to = ", ".join(envelope.rcpt_tos)
        self.write(name, f"X-Envelope-To: {to}\r\n".encode() + raw)
        try:
            message = email.message_from_bytes(raw, policy=email.policy.default)
            part = message.get_body(("plain",))
            text = part.get_content() if part is not None else ""
            head = "".join(f"{key}: {message[key]}\n" for key in ("From", "To", "Subject", "Message-ID"))
            self.write(name[:-4] + ".txt", (head + "\n" + text).encode())
        except Exception as problem:  # A message it cannot read is still kept raw.
            print(f"{name}: no readable copy: {problem}", flush=True)
        return "250 2.0.0 Stored"

    def write(self, name, data):
        temporary = os.path.join(self.folder, "." + name)
        with open(temporary, "wb") as out:
            out.write(data)
        os.rename(temporary, os.path.join(self.folder, name))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{port}, writing to {folder}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
