package dev.switchboard.app.model;

/** One chat turn, already validated: role is one of system, developer, user, assistant, tool. */
public record ChatMessage(String role, String content) {}
