/**
 * Wharf's public API: the services its components publish ({@link dev.wharf.ftp.api.FtpListener},
 * {@link dev.wharf.ftp.api.SslConfiguration}) and the SPI other bundles implement to supply users
 * ({@link dev.wharf.ftp.api.UserStore}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package dev.wharf.ftp.api;
