package dev.wharf.ftp.impl.logs;

import dev.wharf.ftp.impl.activity.Activity;

/** Turns an activity into one line of a log file. */
@FunctionalInterface
public interface LineFormat {

    /** @return the line without its line end, or null when this format has no line for the activity */
    String format(Activity activity);
}
