package dev.wharf.ftp.impl.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.wharf.ftp.api.TlsRequirement;
import dev.wharf.ftp.impl.settings.ListenerSettings;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Commands as their specifications make them, without sockets: dispatch, HELP and FEAT all come from one
 * specification per command, and the one-shot parameters (REST, RNFR) last exactly one command.
 */
public class CommandSpecTest {

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private SessionHarness harness() {
        return new SessionHarness(temp.getRoot().toPath());
    }

    @Test
    public void everyVerbHasItsOwnHelpLineAndAliasesNameTheirCommand() throws Exception {
        CommandTable table = CommandTable.standard();
        for (CommandSpec spec : table.specs()) {
            for (String verb : spec.verbs()) {
                assertTrue(verb + ": " + spec.syntaxOf(verb), spec.syntaxOf(verb).startsWith(verb));
            }
        }
        SessionHarness h = harness();
        assertEquals("214 Syntax: XCWD <directory> (as CWD)", h.send("HELP XCWD"));
        assertEquals("214 Syntax: RETR <path>", h.send("HELP retr"));
        assertEquals("502 Unknown command NOPE.", h.send("HELP NOPE"));
        String all = h.send("HELP");
        for (String verb : table.verbs()) {
            assertTrue(verb + " in HELP", all.contains(verb));
        }
    }

    @Test
    public void aVerbCanBeSpecifiedOnlyOnce() {
        CommandSpec a = CommandSpec.command("NOOP").handledBy((s, x) -> { });
        CommandSpec b = CommandSpec.command("ZZZZ", "NOOP").handledBy((s, x) -> { });
        assertThrows(IllegalArgumentException.class, () -> new CommandTable(List.of(a, b)));
    }

    @Test
    public void featFollowsTheListenerAndTheSession() throws Exception {
        SessionHarness plain = harness();
        String feat = plain.send("FEAT");
        assertFalse("no TLS configuration: no AUTH\n" + feat, feat.contains("AUTH"));
        assertTrue(feat, feat.contains(" EPRT\r\n"));
        SessionHarness passiveOnly = new SessionHarness(temp.getRoot().toPath(),
                ListenerSettings.builder("t").tlsRequired(TlsRequirement.NONE).activeEnabled(false).build());
        assertFalse(passiveOnly.send("FEAT").contains("EPRT"));
        plain.loggedIn();
        assertEquals("200 MLST OPTS type;size;", plain.send("OPTS MLST type;size;"));
        assertTrue(plain.send("FEAT").contains(" MLST type*;size*;modify;perm;unique;\r\n"));
    }

    @Test
    public void loginAndArgumentsAreCheckedBeforeTheHandlerRuns() throws Exception {
        SessionHarness h = harness();
        assertEquals("530 Please log in with USER and PASS first.", h.send("TYPE I"));
        h.loggedIn();
        assertEquals("501 Syntax error: TYPE needs an argument.", h.send("TYPE"));
        assertEquals("200 Type set to I.", h.send("type i"));
        assertEquals("502 Command XYZZY not implemented.", h.send("XYZZY"));
    }

    @Test
    public void restAndRnfrLastExactlyOneCommand() throws Exception {
        SessionHarness h = harness().loggedIn();
        h.send("TYPE I");
        assertTrue(h.send("REST 100").startsWith("350"));
        assertEquals(100, h.session.parameters().restartOffset());
        h.send("NOOP");
        assertEquals("any other command clears REST", 0, h.session.parameters().restartOffset());

        java.nio.file.Files.writeString(temp.getRoot().toPath().resolve("a.txt"), "a");
        assertEquals("350 Ready for RNTO.", h.send("RNFR a.txt"));
        h.send("PWD");
        assertEquals("503 Send RNFR first.", h.send("RNTO b.txt"));
        assertTrue(java.nio.file.Files.exists(temp.getRoot().toPath().resolve("a.txt")));
    }

    @Test
    public void typeModeAndStructureAsRfc959Has() throws Exception {
        SessionHarness h = harness().loggedIn();
        assertEquals("200 Type set to A.", h.send("TYPE A N"));
        assertTrue(h.session.parameters().ascii());
        assertEquals("504 Only the Non-print format is supported for TYPE A.", h.send("TYPE A T"));
        assertEquals("200 Type set to L 8.", h.send("TYPE L 8"));
        assertFalse(h.session.parameters().ascii());
        assertEquals("504 TYPE E (EBCDIC) is not supported.", h.send("TYPE E"));
        assertEquals("200 Mode set to S.", h.send("MODE S"));
        assertEquals("504 Only stream mode (MODE S) is supported.", h.send("MODE B"));
        assertEquals("504 Only file structure (STRU F) is supported.", h.send("STRU R"));
    }
}
