package io.otaedge.control.dialect.xiaozhi;

/**
 * The comparison xiaozhi firmware makes before it installs an offer: dot-separated numbers, the
 * first differing one decides, and on a common prefix the longer version is the newer. A version
 * that is not all numbers is never newer (the device would not install it unforced).
 */
final class XiaozhiVersion {

    private XiaozhiVersion() {
    }

    /** True when a xiaozhi device on {@code current} installs {@code offered} without {@code force}. */
    static boolean isNewer(String offered, String current) {
        String[] a = offered.split("\\.", -1);
        String[] b = current.split("\\.", -1);
        try {
            for (int i = 0; i < Math.min(a.length, b.length); i++) {
                int c = Long.compare(Long.parseLong(a[i]), Long.parseLong(b[i]));
                if (c != 0) {
                    return c > 0;
                }
            }
        } catch (NumberFormatException e) {
            return false;
        }
        return a.length > b.length;
    }
}
