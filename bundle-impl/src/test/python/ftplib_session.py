"""Drives a Wharf server with Python's ftplib, a client that parses replies its own way.

Usage: ftplib_session.py PORT USER PASSWORD MODE   (MODE: plain or tls)
Exits non-zero with a message on the first behaviour that is not what a client expects.
"""
import ftplib
import io
import os
import ssl
import sys


def check(condition, message):
    if not condition:
        sys.exit("FAILED: " + message)


def main():
    port, user, password, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    if mode == "tls":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        ftp = ftplib.FTP_TLS(context=context, timeout=20)
    else:
        ftp = ftplib.FTP(timeout=20)
    ftp.connect("127.0.0.1", port)
    if mode == "tls":
        ftp.auth()
    ftp.login(user, password)
    if mode == "tls":
        ftp.prot_p()

    content = os.urandom(1024 * 1024 + 5)
    ftp.storbinary("STOR py.bin", io.BytesIO(content))
    check(ftp.size("py.bin") == len(content), "SIZE after STOR")

    got = io.BytesIO()
    ftp.retrbinary("RETR py.bin", got.write)
    check(got.getvalue() == content, "RETR returns what STOR sent")

    # REST resume of a download
    tail = io.BytesIO()
    ftp.retrbinary("RETR py.bin", tail.write, rest=1000)
    check(tail.getvalue() == content[1000:], "RETR with REST 1000")

    ftp.mkd("sub dir")
    ftp.storlines("STOR sub dir/lines.txt", io.BytesIO(b"alpha\nbeta\n"))
    lines = []
    ftp.retrlines("RETR sub dir/lines.txt", lines.append)
    check(lines == ["alpha", "beta"], "ASCII round trip: %r" % lines)

    facts = dict(ftp.mlsd("sub dir", facts=["type", "size"]))
    check(facts.get("lines.txt", {}).get("type") == "file", "MLSD type fact: %r" % facts)
    check(facts["lines.txt"].get("size") == "11", "MLSD size fact: %r" % facts)
    names = ftp.nlst()
    check("py.bin" in names and "sub dir" in names, "NLST: %r" % names)
    listing = []
    ftp.dir(listing.append)
    check(any(l.endswith(" py.bin") and l.startswith("-") for l in listing), "LIST: %r" % listing)

    # ABOR in the middle of a download: the session goes on
    big = os.urandom(256 * 1024)
    ftp.storbinary("STOR big.bin", io.BytesIO(big * 64))
    conn = ftp.transfercmd("RETR big.bin")
    conn.recv(4096)
    reply = ftp.abort()
    conn.close()
    # RFC 959: 426 for the interrupted transfer, then 226 for the ABOR itself.
    check(reply.startswith("426"), "ABOR first reply: %r" % reply)
    check(ftp.getresp().startswith("226"), "ABOR second reply")
    check(ftp.pwd() == "/", "PWD after ABOR")

    ftp.delete("py.bin")
    ftp.rename("big.bin", "moved.bin")
    check("moved.bin" in ftp.nlst(), "RNFR/RNTO")
    ftp.quit()
    print("ftplib %s session OK" % mode)


if __name__ == "__main__":
    main()
