# One-step word problems where the question asks for the divisor's unit: how many days, bags, rows,
# tickets (quotative division, rounded up when "needed", down when bought), with guards that must
# stay multiplication. 6 per kind, alternating between word4-dev.jsonl and word4-test.jsonl.
# Written before the rule was changed for them (stop 27). python3 config/eval/word4.py rewrites both.
# (kind, query, answer)
P = [
# K1 a rate in time, the time asked
("time", "Ana reads 12 pages a day. How many days does she need to read 96 pages?", 8),
("time", "A pump moves 15 liters every minute. How many minutes will it take to move 120 liters?", 8),
("time", "Tom saves 9 dollars a week. How many weeks will it take him to save 72 dollars?", 8),
("time", "A machine makes 40 bottles per hour. In how many hours does it make 360 bottles?", 9),
("time", "A snail crawls 4 meters an hour. How many hours will it take to crawl 52 meters?", 13),
("time", "Sara walks 2 miles every day. In how many days will she walk 30 miles?", 15),
# K2 containers needed, rounded up
("needed", "Each bag holds 8 apples. How many bags are needed for 50 apples?", 7),
("needed", "A van carries 9 people. How many vans are needed to carry 60 people?", 7),
("needed", "Each page of an album holds 6 photos. How many pages does Lia need for 45 photos?", 8),
("needed", "A box fits 12 cupcakes. How many boxes does Omar need to pack 100 cupcakes?", 9),
("needed", "Each table seats 4 guests. How many tables are needed for 30 guests?", 8),
("needed", "A shelf holds 25 books. How many shelves are needed for 210 books?", 9),
# K3 buying, the money in the question
("buy", "A notebook costs $6. How many notebooks can you buy with $45?", 7),
("buy", "Pens are 3 dollars each. How many pens can Kai buy with 20 dollars?", 6),
("buy", "With 50 dollars, how many 7-dollar tickets can Mia buy?", 7),
("buy", "A sticker costs 4 cents. How many stickers can you get for 90 cents?", 22),
("buy", "Bananas cost 3 euros a bunch. How many bunches can Eva buy with 25 euros?", 8),
("buy", "One comic book costs 5 dollars. How many comic books can Raj afford with 38 dollars?", 7),
# K4 groups of a size, the number of groups asked (exact)
("groups", "A farmer plants 16 trees in each row. How many rows does he need for 128 trees?", 8),
("groups", "A recipe uses 3 eggs for each cake. How many cakes can be made from 27 eggs?", 9),
("groups", "Every team has 11 players. How many teams can be formed from 99 players?", 9),
("groups", "Each necklace uses 14 beads. How many necklaces can Zoe make with 70 beads?", 5),
("groups", "A crate holds 24 bottles. How many crates can be filled with 192 bottles?", 8),
("groups", "Each stamp sheet has 20 stamps. How many sheets make 140 stamps?", 7),
# K5 guards: the rate forward, multiplication
("forward", "Ana reads 12 pages a day. How many pages does she read in 9 days?", 108),
("forward", "Each bag holds 8 apples. How many apples do 7 bags hold?", 56),
("forward", "A van carries 9 people. How many people can 6 vans carry?", 54),
("forward", "A notebook costs $6. How much do 7 notebooks cost?", 42),
("forward", "A pump moves 15 liters every minute. How many liters does it move in 12 minutes?", 180),
("forward", "Each table seats 4 guests. How many guests can sit at 11 tables?", 44),
]
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wordsets import write_dev_test
write_dev_test(P, "word4", "w4d", "w4t")
