package jvpp.conf.fuzz;

import static jvpp.core.testing.TestJvpp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import jvpp.core.Jvpp;
import jvpp.core.cli.CliResult;
import jvpp.core.testing.TestJvpp;
import org.junit.jupiter.api.AfterAll;

/**
 * Arbitrary text as CLI lines, parsed by every command of every plugin (the daemon's full command tree) the way
 * {@code jvppctl} lines are, without running them ({@link CliRegistry#check}): a parser must answer with a
 * result, never throw ({@code CliRegistry.internalErrors()} stays 0), and never change state. Parsers that resolve names see a few
 * interfaces, a sub-interface and a bridge domain.
 *
 * <p>{@code mvn test} runs the regression corpus in {@code src/test/resources/jvpp/conf/fuzz/CliFuzzTestInputs};
 * {@code bin/jvpp-fuzz cli} fuzzes (RELIABILITY.md).
 */
class CliFuzzTest
{
    private static Jvpp vpp;
    private static int interfaces;

    private static synchronized void boot()
    {
        if (vpp != null)
        {
            return;
        }
        vpp = TestJvpp.create(1024);
        ok(vpp, "create loopback interface");
        ok(vpp, "create null interface");
        ok(vpp, "create sub-interfaces loop0 5");
        ok(vpp, "set interface ip address loop0 10.0.0.1/24");
        ok(vpp, "set interface l2 bridge null0 1");
        ok(vpp, "ip route add 192.0.2.0/24 via 10.0.0.2");
        interfaces = vpp.interfaces().all().size();
    }

    @AfterAll
    static void close()
    {
        if (vpp != null)
        {
            vpp.close();
            vpp = null;
        }
    }

    @FuzzTest(maxExecutions = 1_000_000, maxDuration = "60m")
    void cliLine(final byte[] data)
    {
        boot();
        for (final String line : new String(data, StandardCharsets.UTF_8).split("\n", -1))
        {
            final CliResult r = vpp.cli().check(line);
            assertEquals(0, vpp.cli().internalErrors(), () -> "`" + line + "' -> " + r.output());
        }
        assertEquals(interfaces, vpp.interfaces().all().size(), "parsing changed the interfaces");
    }
}
