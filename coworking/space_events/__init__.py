"""Events in a space: workshops, regulars ' evenings, programme meetings, and who comes."""
