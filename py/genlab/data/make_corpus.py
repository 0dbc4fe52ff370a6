"""Write corpus.txt: the everyday English the tiny language model learns.

Provenance: every line comes from this file, written for GenLab. About two
hundred sentences and the simple facts were written out by hand
(``HANDWRITTEN``, ``FACTS``); the rest are drawn, with a fixed seed, from
hand-written templates whose slots are filled from themed word lists (weather,
home, school, food, travel, friends, work, animals, hobbies, feelings,
shopping, health, time), from a small story grammar (fairy-tale openings and
short everyday stories of several sentences) and from dialogue templates with
quotation marks.

Run from the repository root (stdlib only, deterministic)::

    python py/genlab/data/make_corpus.py            # rewrites corpus.txt
    python py/genlab/data/make_corpus.py --seed 1   # a different draw

Output format: one line per sentence, short dialogue or short story, in
ordinary written English (capitals, punctuation, contractions; one line in
six all in lower case, as people often type), UTF-8.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

OUT = Path(__file__).parent / "corpus.txt"
SLOT_RE = re.compile(r"\{([A-Za-z_]+?)(\d?)\}")

# ---------------------------------------------------------------- word lists
W: dict[str, list[str]] = {}


def words(name: str, text: str) -> None:
    """Register a slot list; entries are separated by commas or newlines."""
    W[name] = [w.strip() for w in re.split(r"[,\n]", text) if w.strip()]


words("name", "anna, ben, sam, lucy, tom, maria, leo, emma, jack, mia, noah, ella, omar,"
      "sara, david, nina, paul, lily, max, zoe, amir, hana, ravi, grace, finn, rosa,"
      "ivan, chloe, kai, maya, oliver, sophie, lucas, ruby, adam, isla, yusuf, clara")
words("family", "mum, dad, sister, brother, grandma, grandpa, aunt, uncle, cousin,"
      "mother, father, grandmother, grandfather, little brother, big sister")
words("day", "monday, tuesday, wednesday, thursday, friday, saturday, sunday")
words("month", "january, february, march, april, may, june, july, august, september,"
      "october, november, december")
words("season", "spring, summer, autumn, winter")
words("tod", "morning, afternoon, evening")
words("clock", "seven, eight, nine, ten, eleven, twelve, one, two, three, four, five,"
      "six, half past seven, half past eight, quarter past nine, quarter to six,"
      "eight in the morning, six in the evening, noon, midnight")
words("num", "two, three, four, five, six, seven, eight, ten, twelve, twenty")
words("color", "red, blue, green, yellow, white, black, brown, pink, purple, orange,"
      "grey, dark blue, light green")

# weather: each "state" lists adjectives that go together, plus matching nouns
STATES = {  # state: (adjectives, repeats = more common; nouns; sky colours)
    "summer": ("sunny sunny sunny sunny warm warm warm hot hot hot dry humid bright "
               "clear lovely lovely beautiful fine nice",
               "sunshine,sun,heat,blue skies,light winds,warm sunshine",
               "blue,clear,bright,pale blue"),
    "spring": ("mild bright breezy fresh showery sunny sunny cloudy warm cool pleasant",
               "showers,sunshine,sunny spells,light winds,clouds",
               "blue,pale,bright,cloudy"),
    "grey": ("cloudy cloudy cloudy grey grey dull overcast cool gloomy damp mild",
             "clouds,drizzle,light rain,mist,showers",
             "grey,cloudy,pale,white"),
    "wet": ("rainy rainy rainy wet wet windy windy grey stormy cold cold miserable "
            "showery damp",
            "rain,heavy rain,wind,showers,thunder,strong winds,storms",
            "grey,dark,dark grey,black"),
    "winter": ("cold cold cold cold freezing icy frosty snowy snowy bright clear "
               "windy chilly",
               "snow,sleet,frost,ice,hail,snow showers,cold winds",
               "clear,grey,white,pale"),
    "fog": ("foggy foggy foggy misty misty cold damp grey chilly",
            "fog,mist,thick fog,low cloud,drizzle",
            "white,grey,pale"),
}
STATE_SEASONS = {"summer": "summer", "spring": "spring", "grey": "autumn spring winter",
                 "wet": "autumn winter spring", "winter": "winter", "fog": "autumn winter"}
SEASON_MONTHS = {"spring": "march april may", "summer": "june july august",
                 "autumn": "september october november", "winter": "december january february"}
# the weights say how often each state is picked: common weather comes up more
STATE_WEIGHTS = {"summer": 5, "spring": 3, "grey": 3, "wet": 4, "winter": 4, "fog": 2}
GOOD_STATES = {"summer", "spring"}
W["weather"] = sorted({a for adjs, _, _ in STATES.values() for a in adjs.split()})
words("intens", "very, quite, really, a bit, rather, so, too, a little")
words("city", "london, paris, rome, madrid, berlin, tokyo, lisbon, dublin, edinburgh,"
      "athens, oslo, cairo, delhi, sydney, toronto, new york, vienna, prague")
words("country", "spain, italy, france, japan, india, mexico, canada, scotland, greece,"
      "portugal, norway, egypt, ireland, wales, brazil, china, kenya, peru, australia")


# home
words("dwelling", "house, flat, cottage, apartment, bungalow")
words("room", "kitchen, bedroom, bathroom, living room, hall, attic, dining room, study")
words("homeadj", "small, big, bright, cosy, warm, cold, quiet, tidy, messy, clean, sunny,"
      "dark, noisy, lovely, comfortable")
words("furn", "sofa, table, chair, bed, lamp, bookshelf, mirror, rug, clock, desk,"
      "cupboard, plant, armchair, picture, wardrobe")
words("appliance", "fridge, oven, washing machine, kettle, heater, toaster, television,"
      "computer, dishwasher, hoover, radio, printer")
words("chore", "wash the dishes, clean the kitchen, water the plants, feed the cat,"
      "make the bed, take out the rubbish, hang up the washing, fold the clothes,"
      "sweep the floor, cook dinner, tidy my room, walk the dog, set the table,"
      "empty the dishwasher, clean the windows, do the shopping")
words("thing", "keys, phone, bag, book, glasses, wallet, umbrella, homework, lunch box,"
      "coat, hat, scarf, gloves, watch, ticket")
words("near", "park, station, school, river, sea, beach, shops, library, market,"
      "hospital, church, farm, woods, lake, motorway, harbour")
words("place", "park, museum, zoo, library, farm, beach, castle, market, cinema, cafe,"
      "science museum, aquarium, swimming pool, sports centre, town hall, art gallery")

# school
words("subject", "maths, science, history, geography, art, music, english, french,"
      "spanish, biology, chemistry, physics, drama, sport, computing, reading, writing")
words("difficulty", "easy, hard, difficult, long, short, boring, interesting, fun,"
      "tricky, simple, strange")
words("personadj", "kind, strict, funny, patient, friendly, clever, helpful, busy, calm,"
      "cheerful, quiet, generous, polite, brave, shy")
words("schoolthing", "pencil case, homework, lunch, bag, book, ruler, calculator,"
      "notebook, coat, pen, rubber, water bottle, paints, dictionary")
words("topic", "animals, space, history, dinosaurs, the sea, famous artists, science,"
      "cooking, volcanoes, rivers, the weather, insects, old castles, robots, trees,"
      "the planets, birds, the human body, ancient egypt")

# food
words("bfood", "toast, cereal, porridge, eggs, fruit, yogurt, pancakes, toast and jam,"
      "a boiled egg, bread and honey, muesli, a banana, croissants, beans on toast")
words("food", "bread, rice, pasta, soup, salad, cheese, eggs, apples, bananas, oranges,"
      "grapes, strawberries, cherries, tomatoes, potatoes, carrots, onions, beans, peas,"
      "mushrooms, chicken, fish, noodles, pizza, cake, biscuits, chocolate, ice cream,"
      "honey, jam, yogurt, butter, milk, pears, lemons, peppers, cucumber, sausages,"
      "spinach, broccoli, olives, nuts, popcorn, sweets, plums, melon, peaches, corn,"
      "lettuce, garlic, tofu, lentils")
words("dish", "soup, pasta, curry, pizza, stew, salad, fish and chips, pancakes,"
      "noodles, rice and beans, roast chicken, omelette, vegetable pie, lasagne,"
      "tacos, sushi, dumplings, risotto, chilli, burgers")
words("taste", "delicious, too salty, very spicy, sweet, cold, hot, fresh, tasty,"
      "lovely, a bit dry, really good, too sweet, perfect")
words("hotdrink", "tea, coffee, hot chocolate, cocoa, green tea, mint tea")
words("colddrink", "water, milk, juice, orange juice, apple juice, lemonade, cold water")
words("bake", "cake, chocolate cake, pie, apple pie, loaf of bread, batch of cookies,"
      "lemon cake, tray of muffins")
words("foodplace", "cafe, bakery, restaurant, pizza place, market, noodle bar, canteen")
words("spice", "salt, pepper, garlic, onion, herbs, lemon, chilli, ginger, cheese")
words("meal", "breakfast, lunch, dinner, supper, tea")

# travel
words("vehicle", "train, bus, plane, ferry, coach, tram, boat, taxi, night train")
words("dest", "the seaside, the coast, the mountains, the lake, the countryside"
      ",the island, the city, the north, the south, grandma's house")
words("travelitem", "passport, ticket, suitcase, map, camera, sunglasses, charger, keys,"
      "toothbrush, swimming costume, sun cream, raincoat")
words("lodging", "hotel, small hotel, tent, cottage, campsite, guest house, hostel,"
      "caravan, wooden cabin")
words("nature", "beach, lake, river, mountains, forest, sea, hills, village, harbour, woods")
words("outdoor", "camping, hiking, swimming, fishing, walking, skiing, sailing, cycling,"
      "climbing, kayaking")
words("stranger", "woman, man, police officer, shopkeeper, girl, boy, bus driver,"
      "old lady, waiter")

# friends
words("chat", "music, football, school, our holidays, films, books, everything,"
      "our plans, the weather, our families, games, nothing at all")
words("event", "party, picnic, concert, match, wedding, film, show, barbecue, festival")
words("game", "football, tennis, chess, cards, basketball, board games, hide and seek,"
      "video games, badminton, volleyball, cricket, table tennis")

# work
JOBS = {  # job: (where they work, what they do)
    "doctor": ("hospital", "helps sick people"),
    "nurse": ("hospital", "looks after patients"),
    "teacher": ("school", "teaches children"),
    "farmer": ("farm", "grows vegetables and keeps animals"),
    "baker": ("bakery", "makes bread every morning"),
    "cook": ("restaurant", "makes food for hungry people"),
    "pilot": ("airport", "flies planes all over the world"),
    "librarian": ("library", "looks after the books"),
    "vet": ("animal clinic", "looks after sick animals"),
    "shopkeeper": ("corner shop", "sells food and newspapers"),
    "waiter": ("cafe", "brings food to the tables"),
    "scientist": ("university", "does experiments in a lab"),
    "engineer": ("factory", "designs machines"),
    "mechanic": ("garage", "fixes cars and bikes"),
    "gardener": ("park", "looks after the plants and trees"),
    "bus driver": ("bus station", "drives a bus around the town"),
    "builder": ("building site", "builds houses"),
    "firefighter": ("fire station", "puts out fires"),
    "dentist": ("clinic", "looks after our teeth"),
    "artist": ("studio", "paints pictures"),
    "programmer": ("office", "writes code for computers"),
    "writer": ("cafe", "writes stories"),
    "postman": ("post office", "brings letters and parcels"),
    "journalist": ("newspaper", "writes about the news"),
}
W["job"] = list(JOBS)
words("officeadj", "quiet, busy, noisy, cold, warm, empty, crowded, calm, hot, peaceful")
words("worktask", "this report, the project, my emails, the slides, the budget,"
      "the plan, the letters, the order")

# animals
ANIMALS = {
    "pet": "dog, cat, rabbit, hamster, parrot, puppy, kitten, goldfish, tortoise, guinea pig",
    "farm": "cow, sheep, pig, goat, horse, duck, hen, donkey, goose, lamb",
    "wild": "fox, deer, owl, squirrel, hedgehog, badger, frog, bird, mouse, robin",
    "zoo": "lion, tiger, elephant, giraffe, monkey, zebra, penguin, bear, kangaroo,"
           "hippo, crocodile, camel, panda, gorilla, parrot, seal",
}
for _k, _v in ANIMALS.items():
    words(_k, _v)
words("petplace", "garden, kitchen, living room, basket, sun, sofa, box, corner")
words("farmplace", "field, barn, yard, meadow, mud, shade")
words("wildplace", "woods, forest, garden, hedge, pond, tree, park, field")
words("petdoing", "sleeping, eating, playing, resting, hiding, sitting, lying down")
words("petname", "max, bella, coco, rocky, milo, daisy, ginger, pepper, biscuit, luna,"
      "oscar, bonnie, teddy, poppy, sooty, whiskers")
words("scary", "spiders, snakes, dogs, bees, wasps, mice, sharks, the dark, thunder,"
      "big waves")
words("petadj", "sleepy, hungry, playful, lazy, noisy, happy, quiet, naughty, grumpy")
words("zooadj", "big, funny, noisy, sleepy, hungry, beautiful, huge, playful, lazy")

# hobbies
words("hobby", "reading, painting, drawing, swimming, cycling, running, dancing,"
      "singing, cooking, baking, gardening, fishing, hiking, knitting, skating,"
      "climbing, camping, photography, sewing, yoga, surfing, skiing, writing stories,"
      "playing chess, playing the piano, playing football, bird watching")
words("instrument", "piano, guitar, violin, drums, flute, trumpet, cello, recorder,"
      "ukulele, harp")
words("sport", "football, tennis, basketball, hockey, netball, rugby, cricket,"
      "volleyball, badminton, baseball")
words("goverb", "swimming, running, cycling, fishing, skating, dancing, climbing,"
      "hiking, camping, shopping, walking, sailing")
words("learnverb", "swim, cook, paint, draw, knit, dance, sing, skate, ride a bike,"
      "play chess, juggle, sew, speak french, play the guitar, bake bread, surf")
words("pastactivity", "painted a picture of the sea, read a long book, baked bread,"
      "built a model plane, went fishing with my dad, planted tomatoes,"
      "watched three films, cleaned my bike, wrote a short story, made a kite,"
      "learned a new song, visited my grandparents, went to a concert")
words("show", "films, cartoons, football, nature programmes, the news, cooking shows,"
      "old movies, quiz shows")
words("collect", "stamps, coins, stickers, shells, postcards, rocks, old books, comics,"
      "badges, records")

# feelings, shopping, health
words("feeling", "happy, tired, sleepy, sad, excited, bored, nervous, calm, hungry,"
      "great, sick, better, cheerful, worried, proud, lonely, relaxed, grumpy")
words("clothes", "coat, jacket, hat, scarf, jumper, dress, shirt, skirt, pair of boots,"
      "pair of shoes, pair of gloves, raincoat, pair of jeans, pair of socks, belt")
words("garment", "coat, jacket, hat, scarf, jumper, dress, shirt, skirt, raincoat")
words("ailment", "cold, headache, sore throat, cough, stomach ache, fever, toothache,"
      "runny nose, sore leg")
words("goodfeel", "happy, excited, great, cheerful, proud, relaxed, glad, pleased")
words("badfeel", "tired, sleepy, sad, bored, nervous, worried, grumpy, upset, fed up")
words("goodreason", "it is sunny outside, {he} passed {his} test, it is {his} birthday,"
      "the holidays start tomorrow, {his} team won the match, {his} friend is visiting,"
      "it is snowing, {he} found {his} keys, {he} got a new bike, {he} won a prize")
words("badreason", "it is raining again, {he} lost {his} keys, the bus was late,"
      "{he} has a cold, {his} team lost the match, {he} slept badly, {his} cat is ill,"
      "{he} missed the train, {he} has a test tomorrow, it is too cold to play outside")
words("igood", "it is sunny outside, i passed my test, it is my birthday,"
      "the holidays start tomorrow, my team won the match, my friend is visiting,"
      "it is snowing, i finished my project, i got a new bike")
words("ibad", "it is raining again, i lost my keys, the bus was late, i have a cold,"
      "my team lost the match, i slept badly, i have a test tomorrow, i missed the train")
words("dinnertime", "six, seven, half past six, half past seven, six in the evening,"
      "seven in the evening, eight")
words("localvehicle", "bus, tram, train, taxi, night bus")
words("fav", "food, colour, animal, subject, season, sport, film, book, day,"
      "song, game, fruit, drink")

# ---------------------------------------------------------------- templates
# Each topic: (how many sentences to keep, [templates]). A slot {x} draws from
# W["x"]; {x2} draws a second, different word from the same list. Special
# slots: {w} is a weather adjective, {wn} a matching weather noun, {pet_pl} a
# plural, {he}/{his} a pronoun that agrees with the name drawn for {name}.
TOPICS: dict[str, tuple[int, list[str]]] = {}

TOPICS["weather"] = (5600, [
    "the weather today is {w} .", "the weather today is {w} and {w2} .",
    "the weather today is {w} and {w2} .", "the weather today is {intens} {w} .",
    "the weather today is {w} , so {consequence} .",
    "the weather today is {w} with {wn} .", "the weather today is {w} with {wn} later .",
    "the weather today is {w} in {city} .", "the weather today is {w} here in {city} .",
    "the weather today is {w} , just like yesterday .",
    "the weather today is {w} and the sky is {sky} .",
    "the weather today is {w} for {month} .",
    "the weather today is {w} with {wn} in the {tod} .",
    "the weather is {w} today .", "the weather is {w} and {w2} today .",
    "the weather was {w} yesterday .", "the weather will be {w} tomorrow .",
    "the weather this {tod} is {w} .", "the weather this week has been {w} .",
    "the weather in {city} is {w} in {month} .",
    "the weather in {country} is usually {w} in {season} .",
    "today the weather is {w} and {w2} .",
    "it is {w} today .", "it is {w} and {w2} this {tod} .", "it is {intens} {w} today .",
    "it is {w} outside .", "it was {w} all day yesterday .",
    "it was {w} and {w2} last night .", "it will be {w} later today .",
    "it is going to be {w} this {tod} .", "it looks {w} outside .",
    "tomorrow will be {w} with some {wn} .", "tomorrow will be {w} .",
    "tomorrow will be {w} and {w2} .", "tomorrow it will be {w} in the {tod} .",
    "the forecast says it will be {w} on {day} .",
    "the forecast for {day} is {w} with {wn} .",
    "the forecast for tomorrow is {w} and {w2} .",
    "there will be {wn} in the {tod} .", "we had {wn} all {tod} .",
    "we had {wn} on {day} .", "we might get {wn} later .",
    "the sky is {sky} and it is {w} .", "the sky was {sky} this {tod} .",
    "in {season} the weather is often {w} .", "{season} days are often {w} here .",
    "i love {w} days .", "i do not like {w} weather .", "i hope it is {w} on {day} .",
    "is it {w} outside ?", "yes , it is {w} and {w2} .", "no , it is quite {w} .",
    "{name} said the weather in {city} is {w} .",
    "{name} says it will be {w} tomorrow .",
    "it is {w} , so {consequence} .", "because it was {w} , {pastconsequence} .",
    "on {day} it was {w} and {w2} .", "it was {w} this {tod} and {w2} in the {tod2} .",
    "it is a {w} {tod} in {city} .", "what a {w} day !",
    "it has been {w} for {num} days .", "the weather here is {w} in {month} .",
])

TOPICS["home"] = (1360, [
    "i live in a {homeadj} {dwelling} near the {near} .",
    "we live in a {dwelling} with a {color} door .",
    "our {room} is {homeadj} .", "the {room} is very {homeadj} .",
    "my {family} is cooking {meal} in the kitchen .",
    "there is a {furn} in the {room} .", "we have a new {furn} in the {room} .",
    "the {furn} in my room is {color} .", "please close the window , it is cold .",
    "can you help me {chore} ?", "{name} has to {chore} after school .",
    "after school i {chore} and then i do my homework .",
    "it is my turn to {chore} today .", "on {day} i always {chore} .",
    "the {appliance} is broken again .", "my {family} fixed the {appliance} .",
    "we painted the {room} {color} last {season} .",
    "my {family} is asleep upstairs .", "i left my {thing} on the kitchen table .",
    "have you seen my {thing} ?", "i cannot find my {thing} anywhere .",
    "my {family} is in the {room} .", "we eat dinner at {dinnertime} .",
    "the house is quiet on {day} mornings .", "{name} lives next door to us .",
])

TOPICS["school"] = (1360, [
    "my favourite subject is {subject} .", "we have {subject} on {day} morning .",
    "i have a {subject} test on {day} .", "the {subject} homework was {difficulty} .",
    "today ' s {subject} lesson was {difficulty} .", "our {subject} teacher is {personadj} .",
    "{name} forgot {his} {schoolthing} at home .", "i sit next to {name} in {subject} .",
    "school starts at {clock} .", "we played {game} at break time .",
    "the school library has lots of books about {topic} .",
    "i am reading a book about {topic} .", "can i borrow your {schoolthing} , please ?",
    "the children are learning about {topic} .", "{name} got a good mark in {subject} .",
    "today we went on a school trip to the {place} .",
    "i walk to school with {name} every morning .", "we have a spelling test every {day} .",
    "{name} is good at {subject} but finds {subject2} {difficulty} .",
    "our class made a poster about {topic} .", "{name} is the new student in our class .",
    "i did my {subject} homework after dinner .", "the teacher read us a story about {topic} .",
])

TOPICS["food"] = (1360, [
    "for breakfast i usually have {bfood} .", "i had {food} for lunch .",
    "{name} likes {food} but not {food2} .", "we are having {dish} for dinner tonight .",
    "this {dish} is {taste} .", "could i have some more {food} , please ?",
    "would you like a cup of {hotdrink} ?", "i would like a glass of {colddrink} , please .",
    "my {family} makes the best {dish} .", "we need to buy {food} and {food2} .",
    "there is no {food} left in the fridge .", "let ' s bake a {bake} for {name} ' s birthday .",
    "{name} does not eat {food} .", "we bought fresh {food} at the market .",
    "add some {spice} to the soup .", "{name} is hungry , so we are going to the {foodplace} .",
    "i love {food} with {food2} .", "my favourite food is {dish} .",
    "we had {dish} at the {foodplace} .", "{name} made {dish} for everyone .",
    "do you want {food} or {food2} ?", "i am making {dish} for {meal} .",
    "{meal} is ready !", "the {dish} smells {taste} .",
])

TOPICS["travel"] = (1360, [
    "we are going to {dest} for the holidays .", "the {vehicle} to {city} leaves at {clock} .",
    "i took the {localvehicle} to the {near} .", "{name} is flying to {country} next {season} .",
    "don ' t forget your {travelitem} !", "how long does it take to get to {city} by {vehicle} ?",
    "the {vehicle} was late again this morning .", "we stayed in a {lodging} near the {nature} .",
    "last {season} we went {outdoor} .", "i want to visit {country} one day .",
    "the trip took {num} hours .", "we got lost in {city} but a kind {stranger} helped us .",
    "i sent a postcard to my {family} from {city} .", "{name} went to {country} last {season} .",
    "we flew from {city} to {city2} .", "i packed my {travelitem} and my {travelitem2} .",
    "the {vehicle} was full of people .", "my {family} lives in {city} .",
    "next {month} we are going to {country} .", "the view from the {vehicle} was beautiful .",
    "we went {outdoor} near the {nature} .",
])

TOPICS["friends"] = (1360, [
    "{name} is my best friend .", "i met {name} at the {place} yesterday .",
    "my friends and i like {hobby} .", "{name} and {name2} are going to the cinema tonight .",
    "we talked for hours about {chat} .", "{name} called me last night .",
    "are you coming to {name} ' s party on {day} ?", "i made a card for {name} .",
    "we laughed a lot at the {event} .", "{name} is very {personadj} and always helps me .",
    "can {name} come to play after school ?", "i have known {name} since we were {num} .",
    "we often play {game} together on {day} .", "{name} and i had lunch at the {foodplace} .",
    "{name} is coming to stay with us in {month} .", "i miss {name} a lot .",
    "{name} told me a funny story about {his} {pet} .",
    "we are meeting at the {place} at {clock} .",
    "{name} lent me {his} {thing} .", "my friend {name} lives in {city} .",
])

TOPICS["work"] = (1200, [
    "my {family} works as a {job} .", "{name} is a {job} .", "a {job} {jobdoes} .",
    "my {family} is a {job} , so {he} {jobdoes} .", "{name} works at the {jobplace} .",
    "i start work at {clock} every day .", "the meeting is at {clock} on {day} .",
    "{name} is working from home today .", "my boss is {personadj} .",
    "the office is {officeadj} today .", "i need to finish {worktask} by {day} .",
    "{name} wants to be a {job} .", "{name} wants to be a {job} when {he} grows up .",
    "i have a lot of work this week .", "{name} has a new job at the {jobplace} .",
    "we have a break at {clock} .", "{name} finished {worktask} early .",
])

TOPICS["animals"] = (1360, [
    "the {pet} is {petdoing} in the {petplace} .", "my {pet} is called {petname} .",
    "our {pet} loves the {petplace} .", "i feed my {pet} every morning .",
    "the {farm} is in the {farmplace} .", "the {farm_pl} are in the {farmplace} today .",
    "we saw a {zoo} at the zoo .", "the {zoo_pl} at the zoo were {zooadj} .",
    "{name} is afraid of {scary} .", "there was a {wild} in our garden last night .",
    "we saw a {wild} in the {wildplace} .", "i heard a {wild} in the {wildplace} .",
    "{name} has a {pet} called {petname} .", "the {zoo} is my favourite animal .",
    "the {pet} is very {petadj} today .", "{name} wants a {pet} for {his} birthday .",
    "my {family} keeps {farm_pl} on the farm .", "the {wild} ran into the {wildplace} .",
])

TOPICS["hobbies"] = (1360, [
    "i enjoy {hobby} at the weekend .", "{name} loves {hobby} .",
    "my favourite hobby is {hobby} .", "i play the {instrument} .",
    "{name} has been learning the {instrument} for {num} years .",
    "we play {sport} in the park on {day} .", "{name} is in the {sport} team at school .",
    "i go {goverb} every {day} .", "i am learning to {learnverb} .",
    "last weekend i {pastactivity} .", "i like to watch {show} in the evening .",
    "my {family} collects {collect} .", "{name} taught me how to {learnverb} .",
    "on {day} afternoons we go {goverb} .", "{name} is really good at {hobby} .",
    "i want to try {hobby} this {season} .",
])

TOPICS["life"] = (1360, [
    "i feel {feeling} today .", "{name} is {goodfeel} because {goodreason} .",
    "{name} is {badfeel} because {badreason} .", "i am {goodfeel} because {igood} .",
    "i am {badfeel} because {ibad} .", "i bought a new {clothes} at the market .",
    "how much is this {clothes} ?", "the shop closes at {clock} .",
    "i have a {ailment} .", "{name} stayed in bed because {he} had a {ailment} .",
    "what is your favourite {fav} ?", "what time is it ?", "it is {clock} .",
    "see you on {day} !", "my birthday is in {month} .", "{name} ' s birthday is in {month} .",
    "i need a new {clothes} for the winter .", "{name} is wearing a {color} {garment} .",
    "let ' s meet on {day} at {clock} .", "we are busy on {day} .",
])

TOPICS["everyday"] = (2400, [
    "i would like a cup of {hotdrink} , please .", "would you like a cup of {hotdrink} ?",
    "i would like a glass of {colddrink} .", "can i have a glass of {colddrink} , please ?",
    "{name} made a cup of {hotdrink} for {his} {family} .", "i always drink {hotdrink} in the {tod} .",
    "the cat sat on the {furn} .", "the cat is sleeping on the {furn} .",
    "the dog sat on the {furn} and looked at me .", "my {pet} likes to sleep on the {furn} .",
    "my dog likes to {dogverb} .", "our dog likes to {dogverb} in the {petplace} .",
    "my cat likes to {catverb} .", "the kitten likes to {catverb} .",
    "the sun is {sunstate} .", "the sun is {sunstate} this {tod} .",
    "the moon is {moonstate} tonight .", "the sky is {sky} today .",
    "i would like to visit {city} .", "i would like to be a {job} .",
    "we would like to go to the {place} on {day} .", "{name} would like some {food} .",
])
words("dogverb", "run in the park, chase the ball, play in the garden, dig holes, sleep by the fire,"
      "swim in the lake, bark at the postman, go for long walks, eat biscuits, play with sticks")
words("catverb", "sleep in the sun, chase mice, sit on the window, play with string, hide under the bed,"
      "climb trees, drink milk, sleep all day, watch the birds")
words("sunstate", "shining, hot, bright, very bright, warm, setting, rising, behind the clouds,"
      "low in the sky, high in the sky, a star")
words("moonstate", "full, bright, very bright, round, behind the clouds, new, low in the sky")

CONSEQUENCE = {  # what people do in good or bad weather: (present, past)
    True: [("we are going to the beach", "we went to the beach"),
           ("let ' s have a picnic", "we had a picnic in the park"),
           ("we can play in the garden", "we played in the garden"),
           ("i will walk to school", "i walked to school"),
           ("we are going to the park", "we went swimming in the lake"),
           ("i will wear my sunglasses", "we ate ice cream outside"),
           ("the children are playing outside", "the washing dried quickly")],
    False: [("we are staying at home", "we stayed at home"),
            ("take your umbrella", "we took the bus to school"),
            ("wear a warm coat", "i wore my warm coat"),
            ("we are going to the cinema", "we went to the museum"),
            ("let ' s read by the fire", "we played board games inside"),
            ("the match is cancelled", "the match was cancelled"),
            ("drive carefully", "the trains were late")],
}

HANDWRITTEN = """
the sun is shining and the birds are singing .
it is raining cats and dogs .
the wind blew my hat away .
look , there is a rainbow over the hills !
the puddles are deep after all that rain .
we built a snowman in the garden .
the snow is melting in the sun .
there was thunder and lightning last night .
the roads are icy , so drive slowly .
the fog is so thick that i cannot see the end of the street .
i can hear the rain on the roof .
the leaves are falling from the trees .
the days are getting longer in spring .
the nights are cold in winter .
it is too hot to sleep tonight .
the clouds are dark and low .
a cold wind is blowing from the north .
the sea is calm today .
the river is very high after the storm .
the weather today is perfect for a walk .
the weather today is good for the beach .
the weather today is terrible , so we stayed inside .
what is the weather like today ?
what will the weather be like tomorrow ?
do you think it will rain later ?
i think it will snow tonight .
it stopped raining at lunch time .
the sun came out in the afternoon .
it has not rained for weeks .
the garden needs rain .
the grass is wet with dew this morning .
there was frost on the car this morning .
my hands are cold , where are my gloves ?
put on your sun cream , it is very sunny .
the ice on the pond is thin .
hello , how are you ?
i am fine , thank you .
good morning , everyone .
good night , sleep well .
thank you very much for your help .
excuse me , where is the station ?
the station is at the end of this road .
turn left at the bank and go straight on .
i am sorry i am late .
that is a good idea .
i don ' t know the answer .
can you say that again , please ?
what is your name ?
my name is anna .
where do you live ?
how old are you ?
i am ten years old .
it ' s a lovely day , isn ' t it ?
yes , it ' s beautiful .
i can ' t wait for the holidays .
we ' re going to the beach tomorrow .
she ' s my sister .
he ' s a very good cook .
let ' s go home .
the cat sat on the mat .
the dog barks when the postman comes .
cows eat grass all day .
birds build nests in spring .
bees make honey .
a giraffe has a very long neck .
an elephant has big ears and a long trunk .
owls hunt at night .
frogs live near water .
the hedgehog sleeps all winter .
squirrels hide nuts in autumn .
penguins cannot fly , but they swim very well .
the kitten is chasing a ball of wool .
the horse jumped over the fence .
ducks are swimming on the pond .
the baby is sleeping , so please be quiet .
my grandma tells the best stories .
my grandpa grows tomatoes in his garden .
dad drives us to school when it rains .
mum reads the news every morning .
my little brother is learning to walk .
my sister plays the violin very well .
we visit my aunt every summer .
the kitchen smells of fresh bread .
the kettle is boiling .
the tea is too hot to drink .
i would like a cheese sandwich , please .
this soup needs more salt .
dinner is ready , come and sit down !
can you pass the salt , please ?
the apples in our garden are ripe .
we picked strawberries on the farm .
i always have a glass of milk before bed .
the bakery sells warm bread in the morning .
the market is busy on saturday mornings .
the library is closed on sunday .
the museum has a room full of dinosaur bones .
the park is full of children after school .
the train was very crowded this morning .
our plane leaves at six in the morning .
i have never been on a boat .
we missed the last bus and walked home .
the hotel had a view of the sea .
we swam in the lake every day .
the mountains were covered in snow .
the beach was quiet in the evening .
i read a book on the train .
i love the smell of the sea .
the teacher wrote the answer on the board .
we have a lot of homework tonight .
the test was easier than i thought .
i forgot my homework again .
the children are playing in the playground .
school finishes at half past three .
the bell rang and everyone ran outside .
our class is going to the zoo next week .
i learned ten new words today .
we are practising for the school concert .
my friend lent me a pencil .
we played football until it got dark .
my friends came over to watch a film .
we had a party for my birthday .
she is always laughing .
he is very good at telling jokes .
we have been friends for years .
i work in a small office in the city .
my mum is a nurse at the hospital .
my dad works at night .
the shop opens at nine .
i am tired after a long day at work .
the farmer gets up very early .
the doctor said i should rest .
i like reading books about space .
she paints beautiful pictures of flowers .
he plays the guitar in a band .
we go swimming every saturday .
i am learning to play chess .
my hobby is taking photos of birds .
i knitted a scarf for my grandma .
the film was very funny .
the concert was loud but fun .
i am very happy today .
i feel a bit tired this morning .
she was sad when her cat was ill .
he is nervous about his exam .
i am so excited about the trip !
we are bored because it is raining .
i need a new pair of shoes .
how much does this cost ?
the shop is having a sale .
i have a headache .
drink lots of water and rest .
i feel much better now .
it is half past seven .
see you tomorrow !
happy birthday !
have a nice weekend !
the clocks go back in october .
the shops are open late on thursday .
we go to bed early on school nights .
the moon is very bright tonight .
the stars are beautiful tonight .
the flowers in the park are lovely in spring .
the trees are bare in winter .
the sun sets late in summer .
it gets dark early in winter .
"""


# ---------------------------------------------------------------- more topics
# Fairy tales and short stories: one line is a whole little story, built from
# an opening, a character, a wish or a problem, what happened and an ending.
words("teller", "once upon a time, long ago, a long time ago, one day, one morning,"
      "one cold winter night, one summer morning, many years ago, once, one evening")
words("hero", "a little girl, a young boy, a poor farmer, a kind king, a clever queen,"
      "a brave princess, a young prince, an old woman, an old fisherman, a little fox,"
      "a small mouse, a shy dragon, a tiny bear, a hungry wolf, a lonely giant,"
      "a wise owl, a happy frog, a little rabbit, a young witch, a baker's son,"
      "a shepherd girl, a curious cat, a friendly robot, a little red hen")
words("realm", "a small village, a big dark forest, a castle on a hill, a little house "
      "by the sea, a land far away, a cottage in the woods, a busy town, a tall tower,"
      "a valley between two mountains, a farm by the river, an island in the sea")
words("want", "to see the sea, to find a friend, to fly, to find the golden key,"
      "to visit the king, to learn magic, to climb the tallest tree, to bake the best "
      "bread in the land, to find the end of the rainbow, to be brave,"
      "to travel the world, to find a lost star")
words("trouble", "a storm came, the river flooded, a giant blocked the road, the path "
      "was lost, the bridge broke, the night grew dark, a wolf appeared,"
      "the food ran out, the king fell ill, the well ran dry, a dragon took the gold")
words("helper", "a talking bird, a kind old man, a friendly bear, a clever fox, a fairy,"
      "a little mouse, a wise owl, a brave knight, a magic fish, a tiny elf, a wizard")
words("gift", "a magic ring, a golden key, a map, a pair of red shoes, a silver coin,"
      "a lantern, a bag of seeds, a wooden flute, a feather, a tiny bell")
words("ending", "and they lived happily ever after, and from that day on they were the "
      "best of friends, and everyone in the village had a great feast,"
      "and the sun shone again, and nobody was ever hungry again,"
      "and that is why the sea is salty, and the story is still told today")
words("goodend", "they all went home happy, everyone laughed, the day ended well,"
      "it was the best day of the summer, nobody forgot it, they had tea together")
words("everyday_problem", "lost {his} keys, missed the bus, forgot {his} lunch, tore {his} "
      "coat, lost {his} dog in the park, dropped {his} ice cream, broke {his} favourite "
      "cup, got lost in the town, left {his} homework at home, could not find {his} shoes")
words("fix", "found them under the sofa, walked to school with a friend, shared a "
      "sandwich with a friend, asked {his} grandma to sew it, found it by the pond,"
      "bought another one, glued it back together, asked a police officer for help,"
      "ran home to get it, found them in the garden")
STORIES = [
    "{teller} , far away in {realm} , there lived {hero} . {He} wanted {want} . "
    "But {trouble} . Then {helper} gave {him} {gift} , {ending} .",
    "{teller} there was {hero} who lived in {realm} . Every day {he} wished {want} . "
    "One day {trouble} , but {he} was brave . With the help of {helper} , {he} found "
    "{gift} , {ending} .",
    "{teller} , {hero} set off from {realm} . {He} hoped {want} . On the way {he} met "
    "{helper} , who gave {him} {gift} . When {trouble} , the {gift_noun} saved the day , "
    "{ending} .",
    "On {day} morning {name} {everyday_problem} . {He} was {badfeel} . Then {he} {fix} . "
    "In the end {goodend} .",
    "Yesterday {name} {everyday_problem} . It was {w} outside and {he} felt {badfeel} . "
    "Luckily {he} {fix} , and {goodend} .",
    "It was a {w} {tod} . {name} and {name2} went to the {place} . They saw a {zoo} and "
    "a {wild} . Then they ate {food} and went home , {goodfeel} and tired .",
    "{name} woke up early . It was {w} and {w2} . {He} had {bfood} for breakfast and "
    "took the {localvehicle} to the {near} . {He} met {name2} there , and they talked "
    "about {chat} .",
    "Last {season} , {name} went to {country} with {his} {family} . They stayed in a "
    "{lodging} near the {nature} . Every day they went {goverb} . {He} says it was the "
    "best holiday ever .",
]
# simple facts, written by hand: plain statements a child might learn
FACTS = """
The sun is a star. The earth goes around the sun once a year.
The moon goes around the earth. It takes about a month.
Water freezes at zero degrees Celsius and boils at one hundred degrees.
Plants need light, water and air to grow.
Bees visit flowers to collect nectar, and they make honey from it.
A spider has eight legs. An insect has six legs.
Fish breathe with gills. Whales are not fish: they breathe air.
Frogs lay eggs in water. The eggs grow into tadpoles, and the tadpoles grow into frogs.
A caterpillar turns into a butterfly.
Bats sleep in the day and fly at night.
Camels can walk for days in the desert without drinking.
The blue whale is the biggest animal that has ever lived.
Penguins live in the south, where it is very cold.
Polar bears live near the North Pole.
There are seven days in a week and twelve months in a year.
A year has three hundred and sixty-five days, and a leap year has one more.
Spring, summer, autumn and winter are the four seasons.
Rain comes from clouds. Clouds are made of tiny drops of water.
Snow falls when the air is very cold.
A rainbow has seven colours: red, orange, yellow, green, blue, indigo and violet.
Thunder is the sound that lightning makes.
The wind is air that moves.
Trees lose their leaves in autumn and grow new ones in spring.
Apples, pears and plums grow on trees.
Potatoes and carrots grow under the ground.
Milk comes from cows, goats and sheep.
Bread is made from flour, water, salt and yeast.
Cheese is made from milk.
Eggs come from hens, ducks and other birds.
Eating fruit and vegetables keeps you healthy.
You should brush your teeth twice a day.
Your heart pumps blood around your body.
We hear with our ears and see with our eyes.
There are eight planets around the sun. Jupiter is the biggest.
Mars is called the red planet.
The Pacific is the biggest ocean in the world.
Mount Everest is the highest mountain in the world.
The Nile is one of the longest rivers in the world.
Paris is the capital of France, and Rome is the capital of Italy.
Madrid is the capital of Spain. Tokyo is the capital of Japan.
London is on the river Thames.
Ice is lighter than water, so it floats.
Sound travels more slowly than light.
A triangle has three sides, and a square has four.
Two and two make four. Ten times ten is one hundred.
Half of ten is five.
A clock has an hour hand and a minute hand.
Owls can turn their heads a long way round.
Elephants have the biggest ears of all land animals.
Giraffes are the tallest animals.
Cats sleep for a large part of the day.
Dogs have a very good sense of smell.
Squirrels hide nuts to eat in winter.
Hedgehogs sleep through the winter.
Many birds fly south when winter comes.
Sea water is salty, but river water is not.
The sun rises in the east and sets in the west.
Days are long in summer and short in winter.
Metal feels cold because it takes heat from your hand.
Magnets pull on iron.
Plants make their food from sunlight.
The dinosaurs lived millions of years ago.
""".strip().splitlines()
words("animal_fact", "dog, cat, cow, horse, sheep, duck, owl, frog, fish, bee, lion, bear")
ANIMAL_FACTS = {  # animal: (young, home, sound, food)
    "dog": ("puppy", "kennel", "barks", "meat and biscuits"),
    "cat": ("kitten", "house", "miaows", "fish and meat"),
    "cow": ("calf", "field", "moos", "grass"),
    "horse": ("foal", "stable", "neighs", "grass and hay"),
    "sheep": ("lamb", "field", "baas", "grass"),
    "duck": ("duckling", "pond", "quacks", "seeds and bugs"),
    "owl": ("owlet", "tree", "hoots", "mice"),
    "frog": ("tadpole", "pond", "croaks", "flies"),
    "bee": ("larva", "hive", "buzzes", "nectar"),
    "lion": ("cub", "grassland", "roars", "meat"),
    "bear": ("cub", "den", "growls", "berries, fish and honey"),
    "pig": ("piglet", "sty", "oinks", "almost anything"),
    "hen": ("chick", "coop", "clucks", "grain"),
    "goat": ("kid", "farm", "bleats", "grass and leaves"),
}
FACT_TEMPLATES = [
    "A young {a} is called a {young}.", "A {a} lives in a {home}.", "A {a} {sound}.",
    "A {a} eats {food}.", "The {a} {sound}, and its baby is called a {young}.",
    "What does a {a} eat? It eats {food}.", "Where does a {a} live? In a {home}.",
]

# Dialogue: short exchanges with quotation marks and who said what.
words("said", "said, asked, replied, called, whispered, shouted, answered, laughed")
DIALOGUES = [
    '"Can I have some {food}, please?" asked {name}. "Of course," said {his} {family}.',
    '"What is the weather like today?" asked {name}. "It is {w}," said {name2}.',
    '"Where are my {thing}?" {name} asked. "On the table," {said} {his} {family}.',
    '"Good morning, {name}!" "Good morning! It is {w} today, isn\'t it?"',
    '"Let\'s go to the {place}," said {name}. "Good idea!" {said} {name2}.',
    '"Are you coming to the {event} on {day}?" "Yes, I am. See you there!"',
    '"I\'m hungry," said {name}. "Dinner is at {dinnertime}," said {his} {family}.',
    '"Do you like {hobby}?" asked {name}. "I love it!" {said} {name2}.',
    '"How was school today?" "It was {difficulty}. We learned about {topic}."',
    '"Don\'t forget your {travelitem}!" {said} {name}.',
    '"Why are you {badfeel}?" asked {name}. "Because {badreason}," said {name2}.',
    '"Look, a {wild}!" {said} {name}. "Where?" asked {name2}. "Over there, by the {wildplace}."',
    '"What do you want to be when you grow up?" "A {job}," said {name}.',
    '"Would you like {hotdrink} or {colddrink}?" "{colddrink_cap}, please."',
    '"It\'s {w} outside," said {name}. "Then I\'ll take my {garment}," said {name2}.',
    '"Who is at the door?" "It\'s {name}! {He} brought some {food}."',
    '"Can you help me {chore}?" asked {name}. "Yes, after lunch," said {name2}.',
    '"What\'s your favourite {fav}?" asked {name}.',
    '"Thank you for the {bake}," said {name}. "It was {taste}!"',
    '"Once upon a time," said Grandma, "there lived {hero}."',
]
CAPITAL_SLOTS = {"name", "petname", "city", "country", "day", "month"}
PROPER = {"i": "I", "i'm": "I'm", "i've": "I've", "i'll": "I'll", "i'd": "I'd",
          "english": "English", "french": "French", "spanish": "Spanish",
          "anna": "Anna", "saturday": "Saturday", "sunday": "Sunday",
          "thursday": "Thursday", "october": "October", "grandma's": "Grandma's"}


# ---------------------------------------------------------------- filling
PRONOUNS = {"he": ("he", "his"), "she": ("she", "her")}
GIRL_WORDS = {"girl", "queen", "princess", "woman", "witch", "hen"}
GIRLS = {"anna", "lucy", "maria", "emma", "mia", "ella", "sara", "nina", "lily", "zoe",
         "hana", "grace", "rosa", "chloe", "maya", "sophie", "ruby", "isla", "clara",
         "mum", "sister", "grandma", "aunt", "mother", "grandmother", "big sister"}


def plural(noun: str) -> str:
    """English plural of the animal nouns used here."""
    irregular = {"sheep": "sheep", "mouse": "mice", "goose": "geese", "fox": "foxes",
                 "puppy": "puppies", "deer": "deer", "goldfish": "goldfish",
                 "guinea pig": "guinea pigs"}
    return irregular.get(noun, noun + "s")


def pick_state(rng: random.Random) -> str:
    """One weather state per sentence, so its words agree with each other."""
    return rng.choices(list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()))[0]


def state_pools(state: str) -> dict[str, list[str]]:
    """Slot lists that depend on the weather state (season, month, sky ...)."""
    adjs, nouns, skies = STATES[state]
    seasons = STATE_SEASONS[state].split()
    months = [m for s in seasons for m in SEASON_MONTHS[s].split()]
    return {"w": adjs.split(), "wn": nouns.split(","), "sky": skies.split(","),
            "season": seasons, "month": months}


def fill(template: str, rng: random.Random) -> str:
    """Fill every slot of one template, drawing distinct words per list."""
    state = pick_state(rng)
    pools = state_pools(state)
    used: dict[str, set[str]] = {}
    who: list[str] = []  # people drawn so far, for pronouns and jobs

    def draw(m: re.Match) -> str:
        name = m.group(1)
        if name.lower() in ("he", "his", "him"):
            word = pronoun(who, name.lower())
            return word.capitalize() if name[0].isupper() else word
        if name == "gift_noun":
            return used.get("gift", {"gift"}).copy().pop().split()[-1]
        if name.endswith("_cap"):
            return draw_word(name.removesuffix("_cap")).capitalize()
        if name in ("consequence", "pastconsequence"):
            pair = rng.choice(CONSEQUENCE[state in GOOD_STATES])
            return pair[name == "pastconsequence"]
        if name in ("jobdoes", "jobplace"):
            jobs = [w for w in who if w in JOBS] or [rng.choice(W["job"])]
            return JOBS[jobs[-1]][name == "jobdoes"]
        word = draw_word(name)
        if name in ("name", "family", "job", "hero"):
            who.append(word)
        if name in CAPITAL_SLOTS:
            word = " ".join(part.capitalize() for part in word.split())
        if name in ("everyday_problem", "fix", "badreason", "goodreason"):
            word = SLOT_RE.sub(draw, word)
        return plural(word) if name.endswith("_pl") else word

    def draw_word(name: str) -> str:
        pool = pools.get(name) or W[name.removesuffix("_pl")]
        left = [x for x in pool if x not in used.setdefault(name, set())] or pool
        word = rng.choice(left)
        used[name].add(word)
        return word

    return SLOT_RE.sub(draw, template)


def pronoun(who: list[str], which: str) -> str:
    """he / his / him, or she / her / her, agreeing with the first person drawn."""
    female = bool(who) and (who[0] in GIRLS or who[0].split()[-1] in GIRL_WORDS)
    return {"he": ("he", "she"), "his": ("his", "her"), "him": ("him", "her")}[which][female]


def tidy(text: str) -> str:
    """Ordinary written English from a template's spaced-out tokens.

    Glue punctuation and contractions ("don ' t ." -> "don't."), "a" -> "an"
    before a vowel, capitals for "I", a few proper nouns and sentence starts.
    """
    text = re.sub(r" ([.,?!:;])", r"\1", " ".join(text.split()))
    text = re.sub(r"(\w) ' (\w)", r"\1'\2", text)
    text = re.sub(r"\b([aA]) (?=[aeiouAEIOU])", r"\1n ", text)
    text = re.sub(r"[A-Za-z']+", lambda m: PROPER.get(m.group(), m.group()), text)
    return re.sub(r'(^"?|[.!?] "?)([a-z])', lambda m: m.group(1) + m.group(2).upper(), text)


def topic_sentences(quota: int, templates: list[str], rng: random.Random) -> list[str]:
    """Draw up to `quota` distinct sentences from one topic's templates."""
    seen: dict[str, None] = {}
    for _ in range(quota * 30):
        if len(seen) >= quota:
            break
        seen.setdefault(tidy(fill(rng.choice(templates), rng)), None)
    return list(seen)


N_STORIES, N_DIALOGUES = 3000, 5000  # lines drawn from STORIES and DIALOGUES
LOWER_EVERY = 6  # one line in six is all lower case, as people type in a hurry


def animal_facts() -> list[str]:
    """Every fact template filled with every animal of ANIMAL_FACTS."""
    return [t.format(a=a, young=y, home=h, sound=s, food=f)
            for a, (y, h, s, f) in ANIMAL_FACTS.items() for t in FACT_TEMPLATES]


def make_corpus(seed: int = 0) -> list[str]:
    """All lines: hand-written ones, facts, every topic's draws, stories and dialogue, shuffled."""
    rng = random.Random(seed)
    lines = [tidy(s) for s in HANDWRITTEN.strip().splitlines()] + FACTS + animal_facts()
    for quota, templates in TOPICS.values():
        lines += topic_sentences(quota, templates, rng)
    lines += topic_sentences(N_STORIES, STORIES, rng)
    lines += topic_sentences(N_DIALOGUES, DIALOGUES, rng)
    lines = list(dict.fromkeys(lines))  # drop repeats, keep first order
    rng.shuffle(lines)
    # learners often type in lower case: every LOWER_EVERY-th line is written that way too
    return [line.lower() if i % LOWER_EVERY == 0 else line for i, line in enumerate(lines)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    lines = make_corpus(args.seed)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    words = [w for line in lines for w in re.findall(r"[A-Za-z']+", line.lower())]
    n_bytes = sum(len(line.encode("utf-8")) + 1 for line in lines)
    print(f"{len(lines)} lines, {len(words)} words ({len(set(words))} distinct), "
          f"{n_bytes} bytes -> {args.out}")


if __name__ == "__main__":
    main()
