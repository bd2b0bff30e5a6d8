package dev.switchboard.runtime.generation;

import dev.switchboard.runtime.routing.TokenTrace;

/**
 * One generated token as it streams out.
 *
 * @param index 0 for the first generated token
 * @param tokenId the token
 * @param text the text this token completes (may be empty while a multi-byte character is incomplete,
 *     or while a possible stop string is held back)
 * @param routing its routing through every MoE layer, or {@code null} unless the request traces
 */
public record GeneratedToken(int index, int tokenId, String text, TokenTrace routing) {}
