package dev.wharf.itests.felix;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.File;
import org.ops4j.pax.exam.Option;

/** The launcher's bundle set with this reactor's Wharf bundles, for the Pax Exam configurations here. */
final class LauncherBundles {

    private LauncherBundles() {
    }

    /**
     * What every test here starts with: its own working and data folders under target/itest (named after
     * {@code name}), the launcher's bundles with Wharf, the test support bundle, Commons Net and JUnit.
     */
    static Option felixWithWharf(String name) {
        return felixWithWharf(name, true);
    }

    /** As {@link #felixWithWharf(String)}, with or without Felix EventAdmin. */
    static Option felixWithWharf(String name, boolean eventAdmin) {
        String dir = new File(System.getProperty("wharf.itest.dir", "target/itest")).getAbsolutePath();
        return composite(
                workingDirectory(dir + "/exam-" + name),
                systemProperty("wharf.itest.dir").value(dir),
                systemProperty("wharf.data").value(dir + "/wharf-data-" + name),
                eventAdmin ? mavenBundle("org.apache.felix", "org.apache.felix.eventadmin").versionAsInProject()
                        : composite(),
                withWharf(),
                testSupport(),
                mavenBundle("commons-net", "commons-net").versionAsInProject(),
                junitBundles());
    }

    /** Felix EventAdmin's jar, to install while a test runs. */
    static String eventAdminJar() {
        return new File(required("wharf.itest.eventadmin")).toURI().toString();
    }

    static Option withWharf() {
        return composite(
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.log").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
                mavenBundle("org.bouncycastle", "bcprov-jdk18on").versionAsInProject(),
                mavenBundle("org.bouncycastle", "bcutil-jdk18on").versionAsInProject(),
                mavenBundle("org.bouncycastle", "bctls-jdk18on").versionAsInProject(),
                mavenBundle("org.bouncycastle", "bcpkix-jdk18on").versionAsInProject(),
                reactorBundle("wharf.itest.api"),
                reactorBundle("wharf.itest.impl"));
    }

    /**
     * The bundle of itests/support, which exports {@code WharfSupport}: the probe holds only this module's test
     * classes and imports it from there. It needs commons-net and the JUnit bundles.
     */
    static Option testSupport() {
        return reactorBundle("wharf.itest.support");
    }

    /** The example bundle of examples/upload-checks: a content-checking hook and an upload handler. */
    static Option exampleUploadChecks() {
        return reactorBundle("wharf.itest.example");
    }

    /** The Web Console's FTP page (webconsole/). */
    static Option webConsolePage() {
        return reactorBundle("wharf.itest.webconsole");
    }

    /** A bundle of this reactor, by the file path the pom hands over (fresh jar in a reactor build). */
    private static Option reactorBundle(String property) {
        String url = new File(required(property)).toURI().toString();
        System.out.println("bundle under test: " + url);
        return bundle(url);
    }

    private static String required(String property) {
        String path = System.getProperty(property);
        if (path == null || path.isEmpty() || path.startsWith("${")) {
            throw new IllegalStateException("system property " + property
                    + " is not set: run through Maven (failsafe)");
        }
        return path;
    }
}
