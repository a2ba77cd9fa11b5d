# Facts (stop 28): short questions with one checkable word, to compare the fleet with the single model
# on more than six facts. Written in one go; no code was changed for them (report only).
from evalsets import write
ROWS = [
    ("What is the largest planet in our solar system?", ["Jupiter"]),
    ("Which element has the chemical symbol O?", ["oxygen"]),
    ("What is the capital city of Japan?", ["Tokyo"]),
    ("Who wrote the play Romeo and Juliet?", ["Shakespeare"]),
    ("How many legs does a spider have?", ["8"]),
    ("What is the freezing point of water in degrees Celsius?", ["0"]),
    ("Which ocean is the largest on Earth?", ["Pacific"]),
    ("What gas do plants absorb from the air for photosynthesis?", ["carbon dioxide"]),
    ("What is the capital of Italy?", ["Rome"]),
    ("Which planet is known as the Red Planet?", ["Mars"]),
    ("What is the longest river in Africa?", ["Nile"]),
    ("In which country are the pyramids of Giza?", ["Egypt"]),
    ("What is the hardest natural substance?", ["diamond"]),
    ("Which language is mainly spoken in Brazil?", ["Portuguese"]),
    ("How many continents are there on Earth?", ["7"]),
    ("What is the closest star to Earth?", ["Sun"]),
    ("Who painted the Mona Lisa?", ["Leonardo"]),
    ("What is the capital of Canada?", ["Ottawa"]),
    ("Which animal is the largest mammal?", ["whale"]),
    ("What is the main ingredient of guacamole?", ["avocado"]),
]
write("fact2", "fact2", "fact", [(None, q, {"kind": "keywords", "all": words}) for q, words in ROWS], report=False)
