/**
 * The field's first models: McCulloch-Pitts threshold logic units, Rosenblatt's perceptron and its
 * learning rule, and Hebb's rule.
 */
package org.neurite.classic;
