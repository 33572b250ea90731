package jvpp.pmd.doctor;

import java.util.Map;
import java.util.Set;

/**
 * The few PCI ids the doctor knows by name (as {@code pci.ids} spells them) and the kernel driver each
 * belongs to: the NICs of the machines jvpp's users run on (Azure MANA and Mellanox VFs, AWS ENA, Intel I350
 * and 82599, virtio). Anything else is named {@code Device <id>} and has no known kernel driver.
 *
 * <p>Thread: any (immutable).
 */
public final class PciIds
{
    public static final String MANA = "1414:00ba";
    public static final String ENA = "1d0f:ec20";
    public static final String I350 = "8086:1521";
    public static final String I350_VF = "8086:1520";

    /** Drivers through which DPDK's PCI PMDs take a device from the kernel. */
    public static final Set<String> DPDK_DRIVERS = Set.of("vfio-pci", "uio_pci_generic", "igb_uio");

    /** Drivers that stay bound while DPDK runs beside them (bifurcated). */
    public static final Set<String> BIFURCATED_DRIVERS = Set.of("mlx5_core", "mlx4_core");

    private static final Map<String, String[]> IDS = Map.ofEntries(
        Map.entry(MANA, new String[] {"Microsoft Azure Network Adapter VF", "mana"}),
        Map.entry(ENA, new String[] {"Elastic Network Adapter (ENA)", "ena"}),
        Map.entry("1d0f:ec21", new String[] {"Elastic Network Adapter (ENA)", "ena"}),
        Map.entry(I350, new String[] {"I350 Gigabit Network Connection", "igb"}),
        Map.entry(I350_VF, new String[] {"I350 Ethernet Controller Virtual Function", "igbvf"}),
        Map.entry("8086:10ed", new String[] {"82599 Ethernet Controller Virtual Function", "ixgbevf"}),
        Map.entry("8086:10fb", new String[] {"82599ES 10-Gigabit SFI/SFP+ Network Connection", "ixgbe"}),
        Map.entry("10ec:8168", new String[] {"RTL8111/8168/8411 PCI Express Gigabit Ethernet Controller", "r8169"}),
        Map.entry("1af4:1000", new String[] {"Virtio network device", "virtio-pci"}),
        Map.entry("1af4:1041", new String[] {"Virtio 1.0 network device", "virtio-pci"}),
        Map.entry("15b3:1004", new String[] {"MT27500/MT27520 Family [ConnectX-3/ConnectX-3 Pro Virtual Function]",
            "mlx4_core"}),
        Map.entry("15b3:1007", new String[] {"MT27520 Family [ConnectX-3 Pro]", "mlx4_core"}),
        Map.entry("15b3:1015", new String[] {"MT27710 Family [ConnectX-4 Lx]", "mlx5_core"}),
        Map.entry("15b3:1016", new String[] {"MT27710 Family [ConnectX-4 Lx Virtual Function]", "mlx5_core"}),
        Map.entry("15b3:1018", new String[] {"MT27800 Family [ConnectX-5 Virtual Function]", "mlx5_core"}),
        Map.entry("15b3:101a", new String[] {"MT28800 Family [ConnectX-5 Ex Virtual Function]", "mlx5_core"}),
        Map.entry("15b3:101e", new String[] {"ConnectX Family mlx5Gen Virtual Function", "mlx5_core"}));

    private PciIds()
    {
    }

    /** What {@code dpdk-devbind.py} prints between quotes: {@code Elastic Network Adapter (ENA) ec20}. */
    public static String describe(final PciDevice d)
    {
        final String[] known = IDS.get(d.id());
        return (known == null ? "Device" : known[0]) + " " + d.device();
    }

    /** The kernel driver for the device's id, or null when the doctor does not know it. */
    public static String kernelDriver(final PciDevice d)
    {
        final String[] known = IDS.get(d.id());
        if (known != null)
        {
            return known[1];
        }
        if (d.driver() != null && !DPDK_DRIVERS.contains(d.driver()))
        {
            return d.driver();
        }
        return null;
    }

    public static boolean isMana(final PciDevice d)
    {
        return MANA.equals(d.id());
    }

    /** mlx4/mlx5: by id, or by the driver bound now. */
    public static boolean isMellanox(final PciDevice d)
    {
        return "15b3".equals(d.vendor()) || BIFURCATED_DRIVERS.contains(d.driver());
    }

    /** {@code mlx5_core} or {@code mlx4_core}: the kernel driver a Mellanox device must keep. */
    public static String mellanoxDriver(final PciDevice d)
    {
        if (BIFURCATED_DRIVERS.contains(d.driver()))
        {
            return d.driver();
        }
        final String k = kernelDriver(d);
        return k != null && k.startsWith("mlx") ? k : "mlx5_core";
    }
}
