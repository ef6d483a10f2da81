"""The registry core: system cards, their vocabulary and the plain types of organisations,
licences and AI systems."""
