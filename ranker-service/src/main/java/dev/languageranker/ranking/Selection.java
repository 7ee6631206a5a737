package dev.languageranker.ranking;

import dev.languageranker.events.Strategy;

/**
 * How one group was decided: the chosen candidate's index, every candidate's score (aligned with the group's
 * candidates), the strategy, and the ranker version used (null for a fallback).
 */
record Selection(int chosenIndex, double[] scores, Strategy strategy, Long rankerVersion) {}
