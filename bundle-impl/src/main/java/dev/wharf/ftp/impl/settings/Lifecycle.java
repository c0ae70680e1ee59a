package dev.wharf.ftp.impl.settings;

/**
 * How a listener lets its sessions go.
 *
 * @param drain refuse new connections and logins (421) while the sessions logged in already go on, e.g. before a
 *     rolling restart behind a load balancer
 * @param stopGraceSeconds when the listener stops or rebinds, how long running transfers may take to finish before
 *     their sessions are closed
 */
public record Lifecycle(boolean drain, int stopGraceSeconds) {
}
