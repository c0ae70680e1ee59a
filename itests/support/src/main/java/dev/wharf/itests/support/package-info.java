/**
 * What the Pax Exam tests in itests/native and itests/karaf share: {@link dev.wharf.itests.support.WharfSupport}.
 * Exported so that their probe bundles, which hold only their own test classes, import it from this bundle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.wharf.itests.support;
