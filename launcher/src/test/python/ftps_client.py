#!/usr/bin/env python3
"""Python ftplib as an FTPS client for the launcher tests.

One session: connect (explicit AUTH TLS or implicit TLS), log in, PBSZ/PROT, then the actions given on the
command line, each printed as one line so that the Java test can check them. ftplib's FTP_TLS does not pass the
control connection's TLS session to the data connections; with --reuse the subclass below does, the way a
client must for servers that require session reuse.

Exit status: 0 all actions done; 4 a 4xx reply (printed as "REPLY 4xx ..."); 5 a 5xx reply; 6 another error.
"""
import argparse
import ftplib
import os
import socket
import ssl
import sys
import time


class Client(ftplib.FTP_TLS):
    """FTP_TLS with implicit TLS, session reuse on data connections, and a chosen data connection command."""

    def __init__(self, implicit, reuse, data_mode, context, timeout):
        super().__init__(context=context, timeout=timeout)
        self.implicit = implicit
        self.reuse = reuse
        self.data_mode = data_mode
        self.data_tls_version = None
        self.data_session_reused = None

    def connect(self, host='', port=0, timeout=-999, source_address=None):
        if not self.implicit:
            return super().connect(host, port, timeout, source_address)
        self.host = host
        self.port = port
        if timeout != -999:
            self.timeout = timeout
        raw = socket.create_connection((host, port), self.timeout)
        self.af = raw.family
        self.sock = self.context.wrap_socket(raw, server_hostname=host)
        self.file = self.sock.makefile('r', encoding=self.encoding)
        self.welcome = self.getresp()
        return self.welcome

    def login(self, user='', passwd='', acct='', secure=True):
        if self.implicit:
            # already TLS: no AUTH; ftplib's FTP_TLS.login would send AUTH TLS when self.sock is not an SSLSocket
            return ftplib.FTP.login(self, user, passwd, acct)
        return super().login(user, passwd, acct, secure)

    def makepasv(self):
        if self.data_mode == 'epsv':
            return ftplib.parse229(self.sendcmd('EPSV'), self.sock.getpeername())
        return super().makepasv()  # PASV on IPv4

    def makeport(self):
        if self.data_mode != 'eprt':
            return super().makeport()  # PORT on IPv4
        sock = socket.create_server(('127.0.0.1', 0), family=socket.AF_INET, backlog=1)
        port = sock.getsockname()[1]
        self.sendeprt('127.0.0.1', port)  # voidcmd: raises on a non-2xx reply
        if self.timeout is not ftplib._GLOBAL_DEFAULT_TIMEOUT:
            sock.settimeout(self.timeout)
        return sock

    def ntransfercmd(self, cmd, rest=None):
        # FTP.ntransfercmd opens the data connection; FTP_TLS's version wraps it without a session.
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            session = self.sock.session if self.reuse else None
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=session)
            self.data_tls_version = conn.version()
            self.data_session_reused = conn.session_reused
        return conn, size


def transfer(ftp, action):
    """Runs a transfer; when the data connection breaks (e.g. the server refused it after the TLS handshake and
    an upload was still writing), the server's reply on the control connection is the outcome to report."""
    try:
        return action()
    except (OSError, EOFError) as e:
        if isinstance(e, ftplib.Error):
            raise
        print('DATA-CONNECTION-ERROR', type(e).__name__, e, flush=True)
        return ftp.getresp()  # raises error_temp / error_perm for a 4xx / 5xx reply


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--user', required=True)
    p.add_argument('--password', required=True)
    p.add_argument('--implicit', action='store_true')
    p.add_argument('--prot', choices=['P', 'C'], default='P')
    p.add_argument('--mode', choices=['pasv', 'epsv', 'port', 'eprt'], default='pasv')
    p.add_argument('--tls', choices=['1.2', '1.3', 'any'], default='any')
    p.add_argument('--reuse', action='store_true', help='resume the control TLS session on data connections')
    p.add_argument('--upload', help='local file to STOR as its base name')
    p.add_argument('--download', nargs=2, metavar=('REMOTE', 'LOCAL'), help='RETR REMOTE into LOCAL')
    p.add_argument('--list', action='store_true', help='NLST and print the names')
    p.add_argument('--wait-for', help='after login, wait until this file exists (at most 60 s)')
    p.add_argument('--noop', action='store_true')
    args = p.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if args.tls == '1.2':
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    elif args.tls == '1.3':
        context.minimum_version = ssl.TLSVersion.TLSv1_3

    ftp = Client(args.implicit, args.reuse, args.mode, context, timeout=20)
    try:
        ftp.connect('127.0.0.1', args.port)
        ftp.login(args.user, args.password)
        print('CONTROL', ftp.sock.version(), flush=True)
        if args.prot == 'P':
            ftp.prot_p()
        else:
            # ftplib's prot_c() sends PROT C alone; RFC 4217 wants PBSZ first (Wharf accepts a lone PROT C; others may not)
            ftp.voidcmd('PBSZ 0')
            ftp.prot_c()
        ftp.set_pasv(args.mode in ('pasv', 'epsv'))
        if args.wait_for:
            print('WAITING', flush=True)
            deadline = time.monotonic() + 60
            while not os.path.exists(args.wait_for):
                if time.monotonic() > deadline:
                    print('TIMEOUT waiting for', args.wait_for, flush=True)
                    return 6
                time.sleep(0.1)
        if args.upload:
            with open(args.upload, 'rb') as f:
                reply = transfer(ftp, lambda: ftp.storbinary('STOR ' + os.path.basename(args.upload), f))
            print('STOR', reply, flush=True)
        if args.download:
            with open(args.download[1], 'wb') as f:
                reply = transfer(ftp, lambda: ftp.retrbinary('RETR ' + args.download[0], f.write))
            print('RETR', reply, flush=True)
        if args.list:
            names = transfer(ftp, ftp.nlst)
            print('NLST', '|'.join(sorted(names)), flush=True)
        if args.noop:
            print('NOOP', ftp.voidcmd('NOOP'), flush=True)
        if ftp.data_tls_version is not None:
            print('DATA', ftp.data_tls_version, 'reused' if ftp.data_session_reused else 'new-session', flush=True)
        ftp.quit()
        print('DONE', flush=True)
        return 0
    except ftplib.error_temp as e:
        print('REPLY', e, flush=True)
        return 4
    except ftplib.error_perm as e:
        print('REPLY', e, flush=True)
        return 5
    except Exception as e:  # noqa: BLE001 - reported to the Java test
        print('ERROR', type(e).__name__, e, flush=True)
        return 6


if __name__ == '__main__':
    sys.exit(main())
