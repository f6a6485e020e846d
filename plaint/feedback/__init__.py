"""What customers say about the handling, apart from complaints: a rating of a closed complaint's
handling, and short feedback cards (a compliment or a suggestion), counted separately."""
