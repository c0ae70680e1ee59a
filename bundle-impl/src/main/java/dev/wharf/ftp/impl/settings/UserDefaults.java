package dev.wharf.ftp.impl.settings;

/**
 * What a listener gives users who do not set their own: transfer rates, and the umask of what they create.
 *
 * @param uploadRate bytes per second; 0 = unlimited
 * @param downloadRate bytes per second; 0 = unlimited
 * @param ratePerSession whether a rate limits each session on its own rather than all of a user's sessions together
 * @param umask for created files and directories, 0 to 0777
 */
public record UserDefaults(long uploadRate, long downloadRate, boolean ratePerSession, int umask) {

    /** No rate limits, shared per user, umask 022. */
    public static final UserDefaults STANDARD = new UserDefaults(0, 0, false, 022);
}
