package dev.switchboard.app.routingstats;

/** What one window's statistics are grouped by, besides the window itself. Domain '' means untagged. */
record LayerKey(String modelId, String domain, int layer) {

    static String domainOrEmpty(String domain) {
        return domain == null ? "" : domain;
    }
}
