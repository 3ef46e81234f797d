/** LLM attribution (placeholder). */
package io.github.captum4j.llm;
