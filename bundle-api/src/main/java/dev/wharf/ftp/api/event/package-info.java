/**
 * The events Wharf posts on the OSGi EventAdmin: topics and property names ({@link dev.wharf.ftp.api.event.FtpEvents}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.wharf.ftp.api.event;
