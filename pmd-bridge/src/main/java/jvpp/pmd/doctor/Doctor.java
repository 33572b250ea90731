package jvpp.pmd.doctor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jvpp doctor} and {@code show dpdk preflight}: checks a machine against what a configuration needs
 * before DPDK starts, and says what is wrong in one line each with the command that fixes it. It covers the
 * set-up failures users hit before a packet moves: hugepages per size and NUMA node and a mounted hugetlbfs;
 * devices the kernel still owns or has UP; vfio-pci loaded and an IOMMU or {@code enable_unsafe_noiommu_mode};
 * MANA's kernel (6.2), rdma-core (44) and netvsc state; mlx4/mlx5 staying on their kernel driver; SR-IOV VF
 * counts. {@link DeviceTable} prints the devices as {@code dpdk-devbind.py --status} does.
 *
 * <p>Each group of checks is a class of its own ({@link HugepageCheck}, {@link DeviceChecks} with {@link ManaCheck},
 * {@link MellanoxCheck}, {@link BindingCheck} and {@link SriovCheck}, {@link KernelInterfaceCheck}); this class
 * runs them in order and is the command-line entry point.
 *
 * <p>When the request names no device, the doctor surveys the machine instead: what would stop DPDK is a
 * {@code WARN}, never an {@code ERROR}.
 *
 * <p>Stateless. Thread: any; it only reads files through the {@link HostView}.
 */
public final class Doctor
{
    private static final BindingCheck BINDINGS = new BindingCheck();

    /** The checks, in the order their fixes should be applied: the uio driver's needs the devices' bindings. */
    private static final List<DoctorCheck> CHECKS = List.of(
        new HugepageCheck(),
        new DeviceChecks(List.of(new ManaCheck(), new MellanoxCheck(), BINDINGS)),
        BINDINGS,
        new KernelInterfaceCheck());

    private Doctor()
    {
    }

    // ------------------------------------------------------------------ entry points

    /** Every finding, in the order the fixes should be applied. */
    public static List<Finding> check(final HostView host, final DoctorRequest req)
    {
        final List<Finding> out = new ArrayList<>();
        final Inspection ins = Inspection.of(host, req, out);
        for (final DoctorCheck c : CHECKS)
        {
            c.check(ins, out);
        }
        return out;
    }

    /** 0 when nothing is an {@code ERROR}, else 1. */
    public static int exitCode(final List<Finding> findings)
    {
        for (final Finding f : findings)
        {
            if (f.severity() == Severity.ERROR)
            {
                return 1;
            }
        }
        return 0;
    }

    /**
     * {@code jvpp doctor}: prints the device table and then one line per finding for the machine under
     * {@code sysRoot} ({@code "/"} for this one). Returns 0 when nothing is an error, 1 otherwise.
     */
    public static int run(final String sysRoot, final DoctorRequest req, final PrintStream out)
    {
        final HostView host = new HostView(sysRoot);
        out.print(DeviceTable.format(host));
        out.println();
        final List<Finding> findings = check(host, req);
        for (final Finding f : findings)
        {
            out.println(f.line());
        }
        out.flush();
        return exitCode(findings);
    }

    /**
     * Command-line form: {@code [--root <dir>] [--dev <bdf>]... [--vdev <spec>]... [--iface <name>]...
     * [--hugepages-mb <n>] [--no-huge] [--no-pci] [--uio-driver <drv>]}. Returns the exit code; 2 for bad
     * arguments.
     */
    public static int main(final String[] args, final PrintStream out)
    {
        String root = HostView.DEFAULT_ROOT;
        final DoctorRequest.Builder b = DoctorRequest.builder();
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--root" -> root = args[++i];
                    case "--dev" -> b.pciDevice(args[++i]);
                    case "--vdev" -> b.vdev(args[++i]);
                    case "--iface" -> b.kernelInterface(args[++i]);
                    case "--hugepages-mb" -> b.hugepageBytes(Long.parseLong(args[++i]) << 20);
                    case "--no-huge" -> b.noHuge(true);
                    case "--no-pci" -> b.noPci(true);
                    case "--uio-driver" -> b.uioDriver(args[++i]);
                    default -> throw new IllegalArgumentException("unknown argument `" + args[i] + "'");
                }
            }
        }
        catch (final IllegalArgumentException | ArrayIndexOutOfBoundsException ex)
        {
            out.println("doctor: " + (ex instanceof ArrayIndexOutOfBoundsException ? "missing value" : ex.getMessage()));
            out.println("usage: doctor [--root <dir>] [--dev <bdf>]... [--vdev <spec>]... [--iface <name>]... "
                + "[--hugepages-mb <n>] [--no-huge] [--no-pci] [--uio-driver <drv>]");
            return 2;
        }
        return run(root, b.build(), out);
    }

    public static void main(final String[] args)
    {
        System.exit(main(args, System.out));
    }
}
