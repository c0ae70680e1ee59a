"""Runs a command on a pseudo-terminal and types answers after its prompts, as a person at a terminal would.

usage: typed_at_terminal.py PROMPT ANSWER [PROMPT ANSWER ...] -- COMMAND [ARG ...]
Prints everything the terminal showed (the command's output and whatever the terminal echoed) and exits with the
command's status. Gives up after 60 seconds.
"""
import os
import pty
import sys
import time


def main():
    split = sys.argv.index("--")
    pairs = sys.argv[1:split]
    command = sys.argv[split + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    shown = b""
    deadline = time.time() + 60

    def read_until(text):
        nonlocal shown
        while text not in shown:
            if time.time() > deadline:
                raise SystemExit("no %r within 60 s; the terminal showed: %r" % (text, shown))
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                raise SystemExit("the command ended before %r; the terminal showed: %r" % (text, shown))
            if not chunk:
                raise SystemExit("the command ended before %r" % text)
            shown += chunk

    for prompt, answer in zip(pairs[0::2], pairs[1::2]):
        read_until(prompt.encode())
        time.sleep(0.2)  # the prompt is out; the program now waits for the answer
        os.write(fd, answer.encode() + b"\n")
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break  # EIO: the command closed the terminal
        if not chunk:
            break
        shown += chunk
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(shown.decode("utf-8", "replace"))
    sys.exit(os.waitstatus_to_exitcode(status))


main()
