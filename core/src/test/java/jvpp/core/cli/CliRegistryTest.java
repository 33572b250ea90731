package jvpp.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CliRegistryTest
{
    private final CliRegistry cli = new CliRegistry();
    private final List<String> applied = new ArrayList<>();

    @BeforeEach
    void register()
    {
        cli.register("show interface", "interfaces", "show interface [<if>]", in -> {
            final String rest = in.takeRest();
            return out -> out.println("interfaces " + rest);
        });
        cli.register("show interface address", "addresses", "show interface address", in -> out -> out.println("addresses"));
        cli.register("show ip fib", "fib", "show ip fib", in -> out -> out.println("fib"));
        cli.register("set interface state", "state", "set interface state <if> {up|down}", in -> {
            final String ifc = in.next("interface");
            final boolean up;
            if (in.accept("up"))
            {
                up = true;
            }
            else if (in.accept("down"))
            {
                up = false;
            }
            else
            {
                throw in.unknown();
            }
            return out -> applied.add(ifc + (up ? " up" : " down"));
        });
        cli.register("set interface mtu", "mtu", "set interface mtu <n> <if>", in -> {
            final int mtu = in.nextInt("mtu", 64, 9000);
            final String ifc = in.next("interface");
            return out -> applied.add(ifc + " mtu " + mtu);
        });
    }

    @Test
    void shouldMatchUniquePrefixesOfEveryWord()
    {
        assertEquals("interfaces \n", cli.execute("sh int").output());
        assertEquals("addresses\n", cli.execute("sh int addr").output());
        assertEquals("fib\n", cli.execute("sh ip f").output());
        assertTrue(cli.execute("set int st tap0 up").ok());
        assertEquals(List.of("tap0 up"), applied);
    }

    @Test
    void shouldPassUnmatchedWordsToTheCommandWhenTheyAreNotSubcommands()
    {
        assertEquals("interfaces tap0 tap1\n", cli.execute("show interface tap0 tap1").output());
    }

    @Test
    void shouldReportUnknownInputWithThePathMatchedSoFar()
    {
        final CliResult r = cli.execute("show bogus");
        assertFalse(r.ok());
        assertEquals("show: unknown input `bogus'\n", r.output());
        assertEquals("unknown input `frobnicate now'\n", cli.execute("frobnicate now").output());
    }

    @Test
    void shouldChangeNothingWhenArgumentsAreNotUnderstood()
    {
        final CliResult r = cli.execute("set interface state tap0 up extra");
        assertFalse(r.ok());
        assertEquals("set interface state: unknown input `extra'\n", r.output());
        assertEquals("set interface state: unknown input `sideways'\n", cli.execute("set interface state tap0 sideways").output());
        assertEquals("set interface mtu: mtu must be between 64 and 9000, got 10\n", cli.execute("set int mtu 10 tap0").output());
        assertTrue(applied.isEmpty());
    }

    @Test
    void shouldSayAmbiguousWhenAPrefixMatchesSeveralCommands()
    {
        final CliResult r = cli.execute("s int");
        assertFalse(r.ok());
        assertTrue(r.output().contains("ambiguous input `s' (set, show)"), r.output());
    }

    @Test
    void shouldListSubcommandsWhenACommandIsIncomplete()
    {
        final CliResult r = cli.execute("set interface");
        assertFalse(r.ok());
        assertTrue(r.output().contains("set interface state") && r.output().contains("set interface mtu"), r.output());
    }

    @Test
    void shouldCompleteAndHelpFromTheSameTree()
    {
        assertEquals(List.of("set", "show"), cli.complete("s"));
        assertEquals(List.of("interface", "ip"), cli.complete("show "));
        assertEquals(List.of("interface"), cli.complete("sh in"));
        assertEquals(List.of("mtu", "state"), cli.complete("set int "));
        final String help = cli.help("show ");
        assertTrue(help.contains("show interface") && help.contains("show ip fib"), help);
        assertTrue(cli.help("set interface state ").contains("set interface state <if> {up|down}"));
    }

    @Test
    void shouldTreatBlankAndCommentLinesAsSuccess()
    {
        assertTrue(cli.execute("   ").ok());
        assertTrue(cli.execute("# nothing").ok());
    }

    @Test
    void shouldJoinBracedBlocksAcrossLinesWhenReadingAScript()
    {
        final List<CliScript.Line> lines = CliScript.parse(List.of(
            "# comment", "create loopback interface", "", "packet-generator new {", "  name s0", "  data { IP4: 1.2.3 -> 4.5.6 }",
            "}", "show runtime"));
        assertEquals(3, lines.size());
        assertEquals(2, lines.get(0).number());
        assertEquals(4, lines.get(1).number());
        assertEquals("packet-generator new { name s0 data { IP4: 1.2.3 -> 4.5.6 } }", lines.get(1).text());
        assertEquals(8, lines.get(2).number());
    }

    @Test
    void shouldTokenizeBracesAsWordsOfTheirOwn()
    {
        assertEquals(List.of("a", "{", "b", "}", "c"), CliInput.tokenize("a{b}c"));
    }
}
