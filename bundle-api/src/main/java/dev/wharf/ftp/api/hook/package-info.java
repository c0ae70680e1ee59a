/**
 * Hooks that decide: whiteboard services ({@link dev.wharf.ftp.api.hook.FtpHook}) that Wharf asks at login and
 * before file operations, and that may refuse them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.wharf.ftp.api.hook;
