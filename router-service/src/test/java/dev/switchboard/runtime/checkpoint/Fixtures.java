package dev.switchboard.runtime.checkpoint;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The committed reference checkpoints (made with an independent numpy implementation of Hugging Face Mixtral semantics, see regenerate.sh). */
final class Fixtures {

    static final String TINY_F32 = "tiny-gqa-top2";
    static final String TINY_BF16 = "tiny-bf16";
    static final String TINY_F16 = "tiny-f16";
    static final String TINY_SHARDED = "tiny-sharded";
    static final String MHA_TOP1 = "mha-top1";
    static final String GQA6_TOP2 = "gqa6-top2";

    private Fixtures() {}

    static Path dir(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
