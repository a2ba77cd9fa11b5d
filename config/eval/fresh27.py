# Twelve one-step word problems phrased fresh at stop 27, after the rule's change and never used to
# tune it: a check of how the rule holds on wording nobody built it on. Report only.
# python3 config/eval/fresh27.py writes fresh27.jsonl.
P = [
("A gardener has 84 tulip bulbs and plants them in rows of 7. How many rows does she plant?", 12),
("Our class collected 315 cans last month and 278 cans this month. How many cans is that in total?", 593),
("Priya had some beads. After using 45 beads for a bracelet she has 130 beads. How many beads did Priya have before making the bracelet?", 175),
("A ferry can take 30 cars on each crossing. How many crossings are needed to carry 95 cars?", 4),
("Marco earns 12 dollars for each lawn he mows. How much does he earn for mowing 9 lawns?", 108),
("The museum had 1,250 visitors on Saturday and 980 on Sunday. How many fewer visitors came on Sunday?", 270),
("A bottle of juice costs 3 dollars. Hana has 26 dollars. What is the greatest number of bottles she can buy?", 8),
("A printer uses 1 cartridge for every 400 pages. How many pages can it print with 6 cartridges?", 2400),
("Kofi's fish tank holds 64 liters. He has poured in 29 liters. How many more liters does the tank need to be full?", 35),
("Twelve students share 156 crayons equally. How many crayons does each student receive?", 13),
("A cyclist rides 18 kilometers each hour. How many hours does a 126-kilometer ride take?", 7),
("Lina packed 48 jars of jam. Her neighbor packed 19 jars more than Lina. How many jars did her neighbor pack?", 67),
]
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wordsets import write
write("fresh27", [("fresh", q, a) for q, a in P], "f27")
print(len(P))
