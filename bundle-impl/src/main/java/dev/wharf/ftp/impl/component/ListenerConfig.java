package dev.wharf.ftp.impl.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The keys of a listener's configuration ({@code dev.wharf.ftp.listener}), their defaults and the Web Console's
 * form for them. {@link ListenerComponent} reads them through {@link ConfigReader}, which checks each value and
 * names the key of a bad one; {@link ListenerSettingsReader} turns them into the engine's settings.
 */
@ObjectClassDefinition(name = "Wharf FTP: listener",
        description = "One FTP/FTPS listening endpoint with its TLS policy, data connection and limit settings.")
public @interface ListenerConfig {
    @AttributeDefinition(name = "Name")
    String name() default "default";

    @AttributeDefinition(name = "Host", description = "Address to bind; 0.0.0.0 for all IPv4 interfaces.")
    String host() default "0.0.0.0";

    @AttributeDefinition(name = "Port", min = "0", max = "65535", description = "0 picks a free port.")
    int port() default 2121;

    @AttributeDefinition(name = "Implicit TLS",
            description = "TLS from the first byte (the port 990 style) instead of AUTH TLS.")
    boolean implicit_ssl() default false;

    @AttributeDefinition(name = "SSL configuration",
            description = "Filter selecting the dev.wharf.ftp.ssl configuration, e.g. (name=default).")
    String ssl_target() default "(name=default)";

    @AttributeDefinition(name = "TLS required",
            description = "control (the default): no USER/PASS before AUTH TLS; all: data connections must be "
                    + "protected too (PROT P); none: plain FTP is allowed.",
            options = {@Option(label = "No", value = "none"),
                @Option(label = "On the control connection (no login before AUTH)", value = "control"),
                @Option(label = "On control and data connections", value = "all")})
    String tls_required() default "control";

    @AttributeDefinition(name = "Implicit TLS on data connections",
            description = "Every data connection is TLS even without PROT P (for clients that assume it).")
    boolean data_implicit_ssl() default false;

    @AttributeDefinition(name = "SSL configuration for data connections", required = false,
            description = "Filter selecting an own dev.wharf.ftp.ssl configuration for data connections; "
                    + "empty: the listener's.")
    String data_ssl_target(); // no default: an empty target filter would be invalid

    @AttributeDefinition(name = "TLS session reuse on data connections",
            description = "Whether a TLS data connection must resume the control connection's TLS session "
                    + "(checked on TLS 1.2; see the README for TLS 1.3).",
            options = {@Option(label = "Required", value = "required"),
                @Option(label = "Allowed", value = "allowed"),
                @Option(label = "Disabled", value = "disabled")})
    String tls_session_reuse() default "required";

    @AttributeDefinition(name = "Passive ports", required = false,
            description = "e.g. 30000-30099 or 30000-30010,30020; empty: any free port.")
    String passive_ports() default "";

    @AttributeDefinition(name = "Passive bind address", required = false,
            description = "Empty: the control connection's local address.")
    String passive_address() default "";

    @AttributeDefinition(name = "Passive external address", required = false,
            description = "Address announced in PASV replies, for servers behind NAT: one address, or per client "
                    + "network CIDR=address entries and one address for everyone else, e.g. "
                    + "10.0.0.0/8=10.0.0.5, 203.0.113.10. Empty: the address the client connected to.")
    String passive_external_address() default "";

    @AttributeDefinition(name = "Active mode", description = "Allow PORT and EPRT.")
    boolean active_enabled() default true;

    @AttributeDefinition(name = "Active source port", min = "0", max = "65535",
            description = "Local port for active connections; 0: any.")
    int active_local_port() default 0;

    @AttributeDefinition(name = "Data connection address check",
            description = "Passive: refuse data connections from other addresses than the client's; "
                    + "active: connect only to the client's own address.")
    boolean data_ip_check() default true;

    @AttributeDefinition(name = "Idle timeout (s)", min = "1")
    int idle_timeout() default 300;

    @AttributeDefinition(name = "Data timeout (s)", min = "1",
            description = "A data connection that makes no progress for this long is closed.")
    int data_timeout() default 60;

    @AttributeDefinition(name = "Login timeout (s)", min = "1",
            description = "A connection must log in within this long of connecting, however it trickles its "
                    + "commands; then it gets 421 and is closed.")
    int login_timeout() default 60;

    @AttributeDefinition(name = "TLS handshake timeout (s)", min = "1", max = "3600",
            description = "A TLS handshake (control or data) must be complete within this long of its start.")
    int handshake_timeout() default 30;

    @AttributeDefinition(name = "Command timeout (s)", min = "1", max = "3600",
            description = "A command line, once begun, must be complete within this long.")
    int command_timeout() default 30;

    @AttributeDefinition(name = "Max connections", min = "0",
            description = "Control connections this listener holds at once; more are refused with 421 before "
                    + "any TLS work. 0 = unlimited.")
    int max_connections() default 1000;

    @AttributeDefinition(name = "Max connections per IP", min = "0",
            description = "Control connections from one address at once; more are refused with 421 before any "
                    + "TLS work. Raise it for many users behind one NAT address. 0 = unlimited.")
    int max_connections_per_ip() default 20;

    @AttributeDefinition(name = "Max login failures", min = "0",
            description = "Failed logins before the connection is closed; 0 = unlimited.")
    int max_login_failures() default 3;

    @AttributeDefinition(name = "Login failure delay (ms)", min = "0")
    int login_failure_delay() default 1000;

    @AttributeDefinition(name = "Allow", required = false,
            description = "Addresses or CIDR blocks allowed to connect (comma separated); empty: all.")
    String allow() default "";

    @AttributeDefinition(name = "Deny", required = false,
            description = "Addresses or CIDR blocks refused at connect (comma separated).")
    String deny() default "";

    @AttributeDefinition(name = "Flush uploads to disk",
            description = "fsync each upload before it replaces the target and 226 is sent: durable across a "
                    + "power loss, at a cost in upload speed. Off, an upload is still never visible half-written.")
    boolean upload_sync() default false;

    @AttributeDefinition(name = "Hooks", required = false,
            description = "Filter selecting the FtpHook services this listener asks, e.g. (team=finance); "
                    + "empty: all. A hook's own wharf.listener property can limit it to named listeners.")
    String hooks_target(); // no default: an empty target filter would be invalid

    @AttributeDefinition(name = "Hook timeout (s)", min = "1", max = "3600",
            description = "How long a hook may take to decide; then the operation is refused with 451 (a "
                    + "login with 530) and the session goes on.")
    int hook_timeout() default 30;

    @AttributeDefinition(name = "PROXY protocol",
            description = "Connections come through a load balancer (HAProxy send-proxy / send-proxy-v2) that "
                    + "starts each with a PROXY header naming the real client; only connections from "
                    + "proxy.trusted are accepted then.",
            options = {@Option(label = "None: clients connect directly", value = "none"),
                @Option(label = "Version 1 (text)", value = "v1"),
                @Option(label = "Version 2 (binary)", value = "v2")})
    String proxy_protocol() default "none";

    @AttributeDefinition(name = "Trusted PROXY sources", required = false,
            description = "Addresses or CIDR blocks of the load balancers (comma separated); required with the "
                    + "PROXY protocol. Connections from anywhere else are closed.")
    String proxy_trusted() default "";

    @AttributeDefinition(name = "Anonymous access",
            description = "Let 'anonymous' and 'ftp' log in with any password (an e-mail address by custom, which "
                    + "is logged), read-only, in the anonymous root. The listener's tls.required still applies.")
    boolean anonymous() default false;

    @AttributeDefinition(name = "Anonymous root", required = false,
            description = "The anonymous users' virtual root (needed with anonymous access); created if missing.")
    String anonymous_root() default "";

    @AttributeDefinition(name = "Anonymous drop box", required = false,
            description = "A directory below the anonymous root, e.g. /incoming, where anonymous users may upload "
                    + "new files but not list, download or replace anything; empty: no uploads at all.")
    String anonymous_incoming() default "";

    @AttributeDefinition(name = "Upload rate (bytes/s)",
            description = "Default upload limit for users without their own upload.rate: a number with an "
                    + "optional k or m (x1024), e.g. 512k; 0 = unlimited.")
    String upload_rate() default "0";

    @AttributeDefinition(name = "Download rate (bytes/s)",
            description = "Default download limit for users without their own download.rate, e.g. 2m; "
                    + "0 = unlimited.")
    String download_rate() default "0";

    @AttributeDefinition(name = "Rate limits apply to",
            description = "user: all of a user's transfers share the rate; session: each session has it.",
            options = {@Option(label = "All of a user's sessions together", value = "user"),
                @Option(label = "Each session on its own", value = "session")})
    String rate_scope() default "user";

    @AttributeDefinition(name = "Umask",
            description = "Permissions taken away from files (666) and directories (777) users create, in "
                    + "octal: 022 gives 644 and 755; a user's own umask replaces it.")
    String umask() default "022";

    @AttributeDefinition(name = "Stop grace (s)", min = "0", max = "86400",
            description = "When the listener stops or rebinds (a new host, port or implicit.ssl), running "
                    + "transfers may take this long to finish before their sessions are closed with 421.")
    int stop_grace() default 10;

    @AttributeDefinition(name = "Drain",
            description = "Refuse new connections and logins with 421 while the sessions logged in already "
                    + "go on, e.g. before a restart behind a load balancer. Applies without a restart.")
    boolean drain() default false;

    String webconsole_configurationFactory_nameHint() default "Listener {name} on port {port}";
}
