package dev.wharf.itests.karaf;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.File;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/** The Pax Exam configuration of the Karaf tests here: apache-karaf-minimal with feature "wharf" installed. */
final class KarafWithWharf {

    private static final String MVN_CFG = "etc/org.ops4j.pax.url.mvn.cfg";

    private KarafWithWharf() {
    }

    /** @param unpackDir the folder under target/itest that Karaf is unpacked into */
    static Option[] configuration(String unpackDir) {
        String dir = new File(System.getProperty("wharf.itest.dir", "target/itest")).getAbsolutePath();
        String stagedRepo = new File(required("wharf.itest.repo")).toURI().toString();
        String localRepo = required("org.ops4j.pax.url.mvn.localRepository");
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.apache.karaf",
                                "apache-karaf-minimal").type("tar.gz").versionAsInProject())
                        .unpackDirectory(new File(dir, unpackDir))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                // Karaf is up in 10-25 s here; a provisioning failure should not hold the build for the default 180 s
                systemTimeout(90_000),
                logLevel(LogLevel.WARN),
                // Karaf resolves mvn: URLs from its system/ folder, the staged reactor artifacts and the local
                // repository only: no remote repository, so a missing artifact fails fast and clearly.
                editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.localRepository", localRepo),
                editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.repositories", ""),
                editConfigurationFilePut(MVN_CFG, "org.ops4j.pax.url.mvn.defaultRepositories",
                        "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                                + stagedRepo + "@id=wharf.itest@snapshots"),
                // blacklists the conditional bundles of Karaf's "scr" feature (see the file)
                replaceConfigurationFile("etc/org.apache.karaf.features.xml",
                        testResource("/karaf/org.apache.karaf.features.xml")),
                features(maven("dev.wharf", "wharf-features").classifier("features").type("xml").versionAsInProject(),
                        "wharf"),
                mavenBundle("commons-net", "commons-net").versionAsInProject(),
                // WharfSupport (itests/support), which the probe imports; staged like the bundles under test
                mavenBundle("dev.wharf", "wharf-itests-support").versionAsInProject(),
                systemProperty("wharf.itest.dir").value(dir));
    }

    private static File testResource(String name) {
        try {
            return new File(KarafWithWharf.class.getResource(name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("test resource " + name, e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isEmpty() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + property
                    + " is not set: run through Maven (failsafe)");
        }
        return value;
    }
}
